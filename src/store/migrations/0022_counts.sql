-- Migration 0022: the dashboards' counts, kept in the transactions that change what they count
-- (`store::counts`), so that a whole campaign's dashboard reads a few thousand rows whatever
-- the number of contacts and attempts. The migration's step `store::counts::fill` fills them
-- from the rows (the same code `Store::recount` runs to repair them).

-- The contacts per campaign × import batch (0: none) × program × city × status × best outcome
-- (0: no attempt yet). Kept by the import (per chunk, under its unconfirmed batch: the reads
-- leave out unconfirmed batches), the purge of a killed import, recording and undoing an
-- outcome, and the opt-out that closes a person's other contacts.
CREATE TABLE contact_counts (
    campaign_id BIGINT NOT NULL,
    batch_id BIGINT NOT NULL,
    program TEXT NOT NULL,
    city TEXT NOT NULL,
    status TEXT NOT NULL,
    best_disposition_id BIGINT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, batch_id, program, city, status, best_disposition_id)
){without_rowid};

-- The attempts per campaign × UTC hour × agent (0: none): the days' lines, the heatmap and the
-- agents' table read these (27,000 rows for 50 agents over 250 days) instead of the hourly
-- counts by outcome and reason. Reached: a reached outcome that is not a third party.
CREATE TABLE agent_hours (
    campaign_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    reached BIGINT NOT NULL,
    positive BIGINT NOT NULL,
    secs BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, hour, agent_id)
){without_rowid};

-- The attempts per campaign × agent × outcome × reason, over the whole campaign.
CREATE TABLE attempt_outcomes (
    campaign_id BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    disposition_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, agent_id, disposition_id, reason)
){without_rowid};

-- The survey's answers per campaign × script version (0: none) × answers, over the whole
-- campaign; keyed by the SHA-256 of the answers' JSON text (a long free answer cannot exceed an
-- index entry), the text kept beside it.
CREATE TABLE answer_counts (
    campaign_id BIGINT NOT NULL,
    script_version_id BIGINT NOT NULL,
    answers_sha256 TEXT NOT NULL,
    answers TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, script_version_id, answers_sha256)
){without_rowid};

-- The records reached per campaign × local day (days since 1970-01-01 in the institution's
-- zone): a record reached twice that day counts once.
CREATE TABLE reached_days (
    campaign_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, day)
){without_rowid};
