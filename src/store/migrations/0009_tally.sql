-- Migration 9: Seguimiento (the live tally) and the frozen strategy.
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

-- The tally's "today" figures: one campaign's attempts since midnight, by index.
CREATE INDEX IF NOT EXISTS call_attempts_campaign_time ON call_attempts (campaign_id, started_at);
