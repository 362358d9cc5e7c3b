-- Migration 13: the weekly consolidated report (procedure 5.2). Each weekly report exported,
-- sent to the head or delivered by hand is kept in `archived_records` (kind
-- `consolidado_semanal` or `reporte_agente`, period `2026-W48`): how it left
-- (domain::weekly::Delivery: exportado | correo | a_mano), to whom (an address or a name;
-- empty for a file saved), and the outbox message that carries it when e-mailed.
ALTER TABLE archived_records ADD COLUMN delivery TEXT;
ALTER TABLE archived_records ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE archived_records ADD COLUMN outbox_id BIGINT;
CREATE INDEX archived_records_period ON archived_records (kind, period);

-- The week's outbound attempts, read by time across campaigns (covering: agent, campaign,
-- outcome), as inbound calls are by `inbound_calls_received`.
CREATE INDEX call_attempts_started ON call_attempts (started_at, agent_id, campaign_id, disposition_id);
