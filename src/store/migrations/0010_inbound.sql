-- Migration 10: inbound calls (procedure 5.2), the programs' sheets, and the outbox that
-- delivers e-mail at least once.
--
-- Files stored once, by content (a brochure attached to a hundred messages is one row).
CREATE TABLE blobs (
    id {pk},
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {blob} NOT NULL,
    created_at BIGINT NOT NULL
);

-- A department's phone extension (a transferred call shows it).
ALTER TABLE departments ADD COLUMN extension TEXT NOT NULL DEFAULT '';

-- A program's or service's responsible manager and the sheet agents read while talking
-- (JSON: cost, dates, requirements, scholarships, modality, snies), and its brochure.
ALTER TABLE programs ADD COLUMN manager_name TEXT NOT NULL DEFAULT '';
ALTER TABLE programs ADD COLUMN manager_email TEXT NOT NULL DEFAULT '';
ALTER TABLE programs ADD COLUMN sheet TEXT NOT NULL DEFAULT '{}';
ALTER TABLE programs ADD COLUMN brochure_blob_id BIGINT REFERENCES blobs (id);

-- An inbound call: by which channel (domain::inbound::Channel), when the person authorised
-- the processing of their data (Ley 1581; required before any hand-off), its result
-- (Resultado), and for a remitted lead the follow-up the professional keeps
-- (Seguimiento de remisión). `kind` says what the caller asked about (AskedAbout:
-- programa | servicio | otra_dependencia); its old default 'informacion' is not used.
ALTER TABLE inbound_calls ADD COLUMN channel TEXT NOT NULL DEFAULT 'telefono';
ALTER TABLE inbound_calls ADD COLUMN authorized_at BIGINT;
ALTER TABLE inbound_calls ADD COLUMN result TEXT NOT NULL DEFAULT 'informado';
ALTER TABLE inbound_calls ADD COLUMN followup_status TEXT;
ALTER TABLE inbound_calls ADD COLUMN followup_at BIGINT;
ALTER TABLE inbound_calls ADD COLUMN followup_by TEXT;
CREATE INDEX inbound_calls_phone ON inbound_calls (phone);
CREATE INDEX inbound_calls_person ON inbound_calls (person_id);
CREATE INDEX inbound_calls_taken ON inbound_calls (taken_by, received_at);

-- The outbox: a message is claimed with a lease (`lease_owner` host:pid, `lease_until`)
-- before it is sent, retried with growing back-off (`next_attempt_at`), and shows
-- pendiente / enviado / fallido (OutboxStatus) with the server's last error. Its Message-ID
-- is built from its UUID, so a resend after a crash is the same mail. `kind` says what it
-- is (OutboxKind); `handed_over` records a message given to the user's mail client
-- (mailto) or delivered by hand instead of sent; `inbound_call_id` ties a remission or an
-- information message to its call.
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pendiente';
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'otro';
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE outbox ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN handed_over TEXT;
ALTER TABLE outbox ADD COLUMN inbound_call_id BIGINT REFERENCES inbound_calls (id);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE outbox_attachments (
    outbox_id BIGINT NOT NULL REFERENCES outbox (id),
    blob_id BIGINT NOT NULL REFERENCES blobs (id),
    PRIMARY KEY (outbox_id, blob_id)
);
