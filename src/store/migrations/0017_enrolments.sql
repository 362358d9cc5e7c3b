-- Migration 0017: real enrolments (issue 12). A list exported by the academic system
-- (applicants, admitted, enrolled students) kept row by row, each row matched at import to
-- a person by document, then phone, then e-mail (`matched_by`), so a campaign's real
-- conversion is a join on `person_id` (no foreign key: purging a killed import must not
-- trip on a list that matched one of its persons; such a row simply stops matching).
CREATE TABLE enrolment_lists (
    id {pk},
    file_name TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    stored BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    matched BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE enrolments (
    id {pk},
    list_id BIGINT NOT NULL REFERENCES enrolment_lists (id),
    source_row BIGINT NOT NULL,
    document TEXT,
    email TEXT,
    phone BIGINT,
    program TEXT,
    enrolled_on TEXT,
    stage TEXT NOT NULL,
    person_id BIGINT,
    matched_by TEXT
);
CREATE INDEX enrolments_person ON enrolments (person_id, stage, enrolled_on);
