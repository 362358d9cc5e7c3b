-- Migration 9: Seguimiento (the live tally), the contacts table's sortable columns and the
-- frozen strategy. (IF NOT EXISTS: a test rewinds the schema version of a database to rerun
-- older migrations; these objects are then already there.)
--
-- A strategy whose campaign has run changes only through a recorded amendment: who, when,
-- what changed (one entry per field: its code, the value before and after, as JSON) and why.
CREATE TABLE IF NOT EXISTS strategy_amendments (
    id {pk},
    strategy_id BIGINT NOT NULL REFERENCES strategies (id),
    brief_id BIGINT NOT NULL REFERENCES briefs (id),
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS strategy_amendments_brief ON strategy_amendments (brief_id, at);

-- What each distribution, redistribution and rebalance gave each agent (the audit row says
-- who and when; this says how many per agent, as JSON {login: n}). Older ones have only the
-- audit row and show without the per-agent figures.
CREATE TABLE IF NOT EXISTS distribution_log (
    id {pk},
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    per_agent TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS distribution_log_campaign ON distribution_log (campaign_id, at);

-- A campaign's history in the audit log (its distributions, whether it ever ran) without
-- reading the whole log, which grows with every call.
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id, action);

-- The tally reads a campaign's attempts from its indexes alone: today's (by time, with who,
-- which contact, the outcome and the duration) and each agent's count and duration.
CREATE INDEX IF NOT EXISTS call_attempts_campaign_time ON call_attempts (campaign_id, started_at, agent_id, contact_id, disposition_id, duration_secs);
CREATE INDEX IF NOT EXISTS call_attempts_campaign_agent ON call_attempts (campaign_id, agent_id, started_at, duration_secs);

-- The contacts table sorted by attempts, next call or last outcome pages by index (a page at
-- a million contacts in milliseconds, not a sort of the campaign). Contacts without a value
-- sort as the largest. An import appends to each (a new contact has 0 attempts, no next call
-- and no outcome), so loading stays sequential.
CREATE INDEX IF NOT EXISTS campaign_contacts_by_attempts ON campaign_contacts (campaign_id, attempts);
CREATE INDEX IF NOT EXISTS campaign_contacts_by_next_call ON campaign_contacts (campaign_id, COALESCE(next_call_at, 9223372036854775807));
CREATE INDEX IF NOT EXISTS campaign_contacts_by_outcome ON campaign_contacts (campaign_id, COALESCE(last_disposition_id, 9223372036854775807));
