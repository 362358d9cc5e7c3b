-- Migration 0021: the attempts counted per campaign × UTC hour × agent × outcome × reason,
-- kept in the transaction that records an attempt (`call_record`) and the one that undoes it,
-- so that the dashboards' attempt figures (by outcome and reason, per day, the heatmap, per
-- agent) read a few thousand rows instead of scanning millions of attempts. An attempt with
-- no agent counts under agent 0 and without a reason under ''. Hours are UTC: the dashboards
-- make them local (exact for zones whose offset is a whole number of hours, as Colombia's).
CREATE TABLE attempt_hours (
    campaign_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    disposition_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    secs BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, hour, agent_id, disposition_id, reason)
){without_rowid};
INSERT INTO attempt_hours (campaign_id, hour, agent_id, disposition_id, reason, attempts, secs)
    SELECT campaign_id, started_at / 3600, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, ''),
           COUNT(*), SUM(duration_secs)
    FROM call_attempts
    GROUP BY campaign_id, started_at / 3600, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, '');
