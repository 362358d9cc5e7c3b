-- Migration 0019: the campaign results report's record (issue 12, "Informe de resultados"), one
-- row per campaign once someone writes its narrative, sets its due date, delivers it or records
-- the department's satisfaction. The files generated and delivered are kept in
-- `archived_records` (kind `informe_resultados`, period = the campaign's id).
--   due_date: YYYY-MM-DD set by hand (NULL: the default, computed from the campaign's end and size)
--   delivery: domain::weekly::Delivery code (correo | a_mano), with who, when and to whom
--   satisfaction: 1..5 with a comment, recorded by the department's solicitante or the head
CREATE TABLE results_reports (
    campaign_id BIGINT NOT NULL PRIMARY KEY REFERENCES campaigns (id),
    narrative TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL DEFAULT '',
    delivery TEXT,
    delivered_at BIGINT,
    delivered_by TEXT,
    delivered_to TEXT NOT NULL DEFAULT '',
    delivered_record_id BIGINT,
    satisfaction BIGINT,
    satisfaction_comment TEXT NOT NULL DEFAULT '',
    satisfaction_by TEXT,
    satisfaction_at BIGINT
);
