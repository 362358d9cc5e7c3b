-- Migration 0018: the register of non-conformities of the process (ISO 9001 10.2), kept by
-- the head: what happened, its cause, the action, who answers for it, found and closed days
-- (ISO dates, local).
CREATE TABLE nonconformities (
    id {pk},
    finding TEXT NOT NULL,
    cause TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL,
    found_on TEXT NOT NULL,
    closed_on TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nonconformities_found ON nonconformities (found_on);
