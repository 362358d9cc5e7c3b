-- Migration 0020: the dashboards (Indicadores) read from indexes alone.
--
-- Each record by its best outcome in a period: a campaign's attempts in contact order, with
-- the time, the outcome, the agent and the duration (GROUP BY contact streams, no sort).
CREATE INDEX IF NOT EXISTS call_attempts_campaign_contact ON call_attempts (campaign_id, contact_id, started_at, disposition_id, agent_id, duration_secs);
-- Attempts by outcome and the coded reasons of "No interesado".
CREATE INDEX IF NOT EXISTS call_attempts_campaign_outcome ON call_attempts (campaign_id, disposition_id, reason, started_at, agent_id);
-- Per agent and hour: who, when, the outcome, the duration.
CREATE INDEX IF NOT EXISTS call_attempts_campaign_agent_outcome ON call_attempts (campaign_id, agent_id, started_at, disposition_id, duration_secs);
-- The attempts that carry survey answers (the few that reached someone with a survey), with
-- the answers themselves.
CREATE INDEX IF NOT EXISTS call_attempts_answered ON call_attempts (campaign_id, script_version_id, answers, started_at, agent_id) WHERE answers <> '{}';
-- A campaign's records by program and city, with what pendientes and agendados para hoy read
-- and the batch that says whether an import was confirmed.
CREATE INDEX IF NOT EXISTS campaign_contacts_breakdown ON campaign_contacts (campaign_id, program, city, status, next_call_at, batch_id);
