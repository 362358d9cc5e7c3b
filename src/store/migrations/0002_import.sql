-- Migration 2: contact imports that stay invisible until committed, their row-level report,
-- the agents of a campaign, and the indexes the contacts table pages by.

ALTER TABLE import_batches ADD COLUMN heartbeat_at BIGINT;
ALTER TABLE import_batches ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE import_batches ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE import_batches ADD COLUMN source_format TEXT NOT NULL DEFAULT '';
ALTER TABLE import_batches ADD COLUMN authorization_file_name TEXT;
ALTER TABLE import_batches ADD COLUMN authorization_file {blob};
ALTER TABLE persons ADD COLUMN import_batch_id BIGINT;

-- Rows an import did not load, and why (shown to the user, saved as CSV/XLSX).
CREATE TABLE import_issues (
    id {pk},
    batch_id BIGINT NOT NULL REFERENCES import_batches (id),
    row_number BIGINT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    original TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX import_issues_batch ON import_issues (batch_id, id);

-- Agents working a campaign, with their share for weighted distribution.
CREATE TABLE campaign_agents (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    weight DOUBLE PRECISION NOT NULL DEFAULT 1,
    PRIMARY KEY (campaign_id, user_id)
);

-- Contacts are visible once their batch is confirmed (or when they came without a batch).
CREATE VIEW visible_contacts AS
    SELECT cc.* FROM campaign_contacts cc
    LEFT JOIN import_batches ib ON ib.id = cc.batch_id
    WHERE cc.batch_id IS NULL OR ib.status = 'confirmada';

-- Chosen from the queries: keyset pages per agent. Batch ids are looked up only when a dead
-- import is purged (rare: a scan is fine), so they carry no index that every import would pay.
CREATE INDEX campaign_contacts_agent ON campaign_contacts (campaign_id, agent_id, id);
