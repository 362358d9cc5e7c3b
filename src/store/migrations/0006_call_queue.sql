-- Migration 6: the agent's queue in "Mis llamadas" reads its due callbacks and retries by
-- index: (campaign, agent, status, next call), one range read that stops at the first row.
-- (What a desk holds is read by campaign_contacts_claimed, migration 5.)
CREATE INDEX campaign_contacts_queue ON campaign_contacts (campaign_id, agent_id, status, next_call_at);
