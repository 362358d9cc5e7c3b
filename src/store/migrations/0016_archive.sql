-- Migration 16: the archive of records (procedure section 7; ISO 9001:2015 7.5.3) and the
-- desks that have the database open.
--
-- The records registry, editable by the head (domain::archive::RecordTypeForm): `key` is what
-- the program files documents under (brief | campanas | consolidado | bases_datos); a retention
-- or a disposition left NULL is "sin definir" (the procedure leaves them blank).
CREATE TABLE record_types (
    id {pk},
    key TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    medium TEXT NOT NULL,
    access_level TEXT NOT NULL,
    storage TEXT NOT NULL,
    responsible TEXT NOT NULL,
    management_years BIGINT,
    central_years BIGINT,
    final_disposition TEXT,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at BIGINT
);

-- The procedure's four records, as its section 7 lists them.
INSERT INTO record_types (key, code, name, medium, access_level, storage, responsible) VALUES
    ('brief', 'GF-MK-PR-01-01', 'Brief para campañas de telemercadeo', 'fisico', 'general', 'Carpetas', 'Profesional de marketing'),
    ('campanas', 'N.A', 'Campañas Contact Center', 'fisico', 'general', 'Carpetas', 'Profesional de marketing'),
    ('consolidado', 'N.A', 'Consolidado llamadas recibidas y salientes', 'electronico', 'general', 'Carpetas', 'Profesional de marketing'),
    ('bases_datos', 'N.A', 'Bases de datos', 'electronico', 'general', 'Carpetas', 'Auxiliares Call Center');

-- Each archived document: its SHA-256 when archived (hex), its registry entry and code, the
-- department it belongs to (a solicitante reads its own department's), when it is due for
-- transfer to the central archive and for its final disposition (computed from the registry,
-- recomputed when the head edits it; NULL while undefined), the disposition, when it was
-- transferred, and the last verification of its hash (1 matches, 0 flagged).
ALTER TABLE archived_records ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE archived_records ADD COLUMN record_type_id BIGINT;
ALTER TABLE archived_records ADD COLUMN record_code TEXT NOT NULL DEFAULT '';
ALTER TABLE archived_records ADD COLUMN department_id BIGINT;
ALTER TABLE archived_records ADD COLUMN central_at BIGINT;
ALTER TABLE archived_records ADD COLUMN disposition_at BIGINT;
ALTER TABLE archived_records ADD COLUMN disposition TEXT;
ALTER TABLE archived_records ADD COLUMN transferred_at BIGINT;
ALTER TABLE archived_records ADD COLUMN verified BIGINT;
ALTER TABLE archived_records ADD COLUMN verified_at BIGINT;
CREATE INDEX archived_records_created ON archived_records (created_at);

-- Records archived before this migration belong to their kind's registry entry.
UPDATE archived_records SET record_type_id = (SELECT id FROM record_types WHERE key = 'consolidado'), record_code = 'N.A'
    WHERE kind IN ('consolidado_semanal', 'reporte_agente');

-- The desks (windows) that have the database open: `owner` host:pid, refreshed every minute
-- while the window is open and removed when it closes. A restore is refused while another
-- desk's row is fresh.
CREATE TABLE desks (
    owner TEXT NOT NULL PRIMARY KEY,
    user_login TEXT NOT NULL DEFAULT '',
    opened_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);
