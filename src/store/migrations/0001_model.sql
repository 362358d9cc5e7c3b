-- Migration 1: the domain model of the whole procedure (GF-MK-PR-01).
-- Written for both engines: BIGINT columns, {pk} and {blob} adapted per engine,
-- timestamps as UTC seconds, dates as 'YYYY-MM-DD' text, booleans as 0/1.

CREATE TABLE settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE departments (
    id {pk},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id {pk},
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('jefe', 'profesional', 'auxiliar', 'solicitante')),
    department_id BIGINT REFERENCES departments (id),
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    last_failed_at BIGINT,
    last_login_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE programs (
    id {pk},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('programa', 'servicio')),
    department_id BIGINT REFERENCES departments (id),
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE dispositions (
    id {pk},
    hotkey TEXT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    reached BIGINT NOT NULL,
    is_final BIGINT NOT NULL,
    final_for_phone BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    sort BIGINT NOT NULL
);

-- Record GF-MK-PR-01-01: Brief para campañas de telemercadeo.
CREATE TABLE briefs (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    department_id BIGINT NOT NULL REFERENCES departments (id),
    created_by BIGINT REFERENCES users (id),
    source TEXT NOT NULL DEFAULT 'gui',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    campaign_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'otro',
    objective TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    key_message TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date TEXT,
    expected_result TEXT NOT NULL DEFAULT '',
    database_fields TEXT NOT NULL DEFAULT '',
    observations TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'borrador',
    submitted_at BIGINT,
    late_days BIGINT,
    decision_comment TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX briefs_department ON briefs (department_id, status);

CREATE TABLE brief_files (
    id {pk},
    brief_id BIGINT NOT NULL REFERENCES briefs (id),
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {blob} NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX brief_files_brief ON brief_files (brief_id);

CREATE TABLE brief_history (
    id {pk},
    brief_id BIGINT NOT NULL REFERENCES briefs (id),
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX brief_history_brief ON brief_history (brief_id, at);

CREATE TABLE strategies (
    id {pk},
    brief_id BIGINT NOT NULL UNIQUE REFERENCES briefs (id),
    author_id BIGINT REFERENCES users (id),
    assigned_to BIGINT REFERENCES users (id),
    approach TEXT NOT NULL DEFAULT '',
    arguments TEXT NOT NULL DEFAULT '',
    priority TEXT NOT NULL DEFAULT 'media',
    targets TEXT NOT NULL DEFAULT '{}',
    agents BIGINT,
    start_date TEXT,
    end_date TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE scripts (
    id {pk},
    brief_id BIGINT REFERENCES briefs (id),
    title TEXT NOT NULL DEFAULT '',
    draft TEXT NOT NULL DEFAULT '{}',
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE script_versions (
    id {pk},
    script_id BIGINT NOT NULL REFERENCES scripts (id),
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    published_at BIGINT NOT NULL,
    UNIQUE (script_id, version)
);

CREATE TABLE campaigns (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    brief_id BIGINT REFERENCES briefs (id),
    strategy_id BIGINT REFERENCES strategies (id),
    script_id BIGINT REFERENCES scripts (id),
    name TEXT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments (id),
    kind TEXT NOT NULL DEFAULT 'otro',
    status TEXT NOT NULL DEFAULT 'planificada',
    start_date TEXT,
    end_date TEXT,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    min_hours_between BIGINT NOT NULL DEFAULT 4,
    distribution_mode TEXT NOT NULL DEFAULT 'asignacion',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE campaign_dispositions (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    disposition_id BIGINT NOT NULL REFERENCES dispositions (id),
    PRIMARY KEY (campaign_id, disposition_id)
);

-- One human across campaigns, known by normalised phone and, where given, document number.
CREATE TABLE persons (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    document TEXT,
    email TEXT,
    created_at BIGINT NOT NULL,
    anonymised_at BIGINT
);
CREATE INDEX persons_document ON persons (document);

CREATE TABLE person_phones (
    id {pk},
    person_id BIGINT NOT NULL REFERENCES persons (id),
    e164 TEXT NOT NULL UNIQUE
);
CREATE INDEX person_phones_person ON person_phones (person_id);

CREATE TABLE import_batches (
    id {pk},
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    file_name TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    authorization_ref TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'en_curso',
    rows_read BIGINT NOT NULL DEFAULT 0,
    imported BIGINT NOT NULL DEFAULT 0,
    duplicates BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    opted_out BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    committed_at BIGINT
);

CREATE TABLE campaign_contacts (
    id {pk},
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    batch_id BIGINT REFERENCES import_batches (id),
    source_row BIGINT,
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL,
    alt_phones TEXT NOT NULL DEFAULT '',
    email TEXT,
    document TEXT,
    program TEXT,
    city TEXT,
    extra TEXT NOT NULL DEFAULT '{}',
    agent_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'pendiente',
    attempts BIGINT NOT NULL DEFAULT 0,
    best_disposition_id BIGINT REFERENCES dispositions (id),
    last_disposition_id BIGINT REFERENCES dispositions (id),
    last_attempt_at BIGINT,
    next_call_at BIGINT,
    claimed_by BIGINT REFERENCES users (id),
    claimed_at BIGINT
);
CREATE INDEX campaign_contacts_campaign ON campaign_contacts (campaign_id, id);
CREATE INDEX campaign_contacts_person ON campaign_contacts (person_id);

CREATE TABLE call_attempts (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    contact_id BIGINT NOT NULL REFERENCES campaign_contacts (id),
    agent_id BIGINT REFERENCES users (id),
    phone TEXT NOT NULL,
    disposition_id BIGINT NOT NULL REFERENCES dispositions (id),
    reason TEXT,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL,
    duration_secs BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    callback_at BIGINT,
    script_version_id BIGINT REFERENCES script_versions (id),
    answers TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX call_attempts_contact ON call_attempts (contact_id, started_at);
CREATE INDEX call_attempts_campaign ON call_attempts (campaign_id, agent_id, disposition_id);

CREATE TABLE inbound_calls (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    received_at BIGINT NOT NULL,
    taken_by BIGINT REFERENCES users (id),
    person_id BIGINT REFERENCES persons (id),
    caller_name TEXT NOT NULL DEFAULT '',
    phone TEXT,
    email TEXT,
    document TEXT,
    program_id BIGINT REFERENCES programs (id),
    department_id BIGINT REFERENCES departments (id),
    kind TEXT NOT NULL DEFAULT 'informacion',
    notes TEXT NOT NULL DEFAULT '',
    redirected_to TEXT,
    followup_outbox_id BIGINT
);
CREATE INDEX inbound_calls_received ON inbound_calls (received_at);

-- The opt-out register: phones that must not be called. A forgotten person keeps only the hash.
CREATE TABLE optout (
    id {pk},
    phone_e164 TEXT UNIQUE,
    phone_hash TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
);

CREATE TABLE outbox (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);

CREATE TABLE archived_records (
    id {pk},
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    content {blob} NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id {pk},
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

INSERT INTO settings (key, value) VALUES ('time_zone', 'America/Bogota');
INSERT INTO settings (key, value) VALUES ('hour12', '1');

INSERT INTO dispositions (hotkey, code, name, category, reached, is_final, final_for_phone, sort) VALUES
    ('1', 'interesado', 'Interesado', 'positivo', 1, 1, 0, 1),
    ('2', 'no_interesado', 'No interesado', 'negativo', 1, 1, 0, 2),
    ('3', 'volver_a_llamar', 'Volver a llamar', 'agendado', 1, 0, 0, 3),
    ('4', 'no_contesta', 'No contesta', 'no_contactado', 0, 0, 0, 4),
    ('5', 'buzon', 'Buzón de voz', 'no_contactado', 0, 0, 0, 5),
    ('6', 'ocupado', 'Ocupado', 'no_contactado', 0, 0, 0, 6),
    ('7', 'apagado', 'Apagado', 'no_contactado', 0, 0, 0, 7),
    ('8', 'tercero', 'Contacto con tercero', 'tercero', 0, 0, 0, 8),
    ('9', 'numero_errado', 'Número errado', 'numero_invalido', 0, 0, 1, 9),
    ('0', 'no_contactar', 'Solicita no ser contactado', 'exclusion', 1, 1, 0, 10),
    (NULL, 'fuera_de_servicio', 'Fuera de servicio', 'numero_invalido', 0, 0, 1, 11),
    (NULL, 'encuesta_completa', 'Encuesta completa', 'positivo', 1, 1, 0, 12);
