-- Migration 5: contacts are assigned to agents by rules, one row per agent and dealing
-- segment, instead of writing an agent into each contact.
--
-- A row gives its agent the contacts of the campaign whose id lies in [first_id, last_id] and
-- satisfies (id - first_id) % step = slot. Blocks: step 1, slot 0, one row per agent.
-- Interleaved: the agents of one dealing segment share first_id, last_id and step (the number
-- of agents dealt in turn) and differ by slot. A segment only spans consecutive ids that were
-- all dealt together, so an id in [first_id, last_id] of any row is assigned (contacts imported
-- later get higher ids and stay unassigned until the next distribution).
--
-- `campaign_contacts.agent_id` becomes the per-contact override (a contact moved to another
-- agent, and existing assignments, which are kept as they are); `claimed_by` holds a contact
-- for the desk that claimed it from the shared queue. The agent of a contact is
-- COALESCE(agent_id, the rule covering it, claimed_by).
CREATE TABLE contact_assignments (
    id {pk},
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    agent_id BIGINT NOT NULL REFERENCES users (id),
    first_id BIGINT NOT NULL,
    last_id BIGINT NOT NULL,
    step BIGINT NOT NULL DEFAULT 1,
    slot BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
-- An agent's rules (the queue and the agent filter); the rules covering an id (agent column).
CREATE INDEX contact_assignments_agent ON contact_assignments (campaign_id, agent_id, first_id);
CREATE INDEX contact_assignments_range ON contact_assignments (campaign_id, first_id, last_id);

-- The contacts held by a desk: few at any time, so a partial index costs imports nothing.
CREATE INDEX campaign_contacts_claimed ON campaign_contacts (campaign_id, claimed_by) WHERE claimed_by IS NOT NULL;
