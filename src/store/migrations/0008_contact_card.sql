-- Migration 8: what the agent's screen reads about a contact. Depends on migrations 1–6 only.

-- The headers of a file's extra columns (those kept in campaign_contacts.extra), in file
-- order, as a JSON array: the script editor offers them as placeholders, the card shows the
-- contact's extra fields in this order.
ALTER TABLE import_batches ADD COLUMN extra_columns TEXT NOT NULL DEFAULT '[]';

-- An agent's correction of a contact's phone or e-mail: the old value is kept here (shown in
-- the contact's history), the contact holds the new one.
CREATE TABLE contact_changes (
    id {pk},
    contact_id BIGINT NOT NULL REFERENCES campaign_contacts (id),
    field TEXT NOT NULL CHECK (field IN ('phone', 'email')),
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    changed_by BIGINT REFERENCES users (id),
    changed_at BIGINT NOT NULL
);
-- A person's history reads the changes of its few contacts.
CREATE INDEX contact_changes_contact ON contact_changes (contact_id, changed_at);

-- An agent's calls of today: one range read of (campaign, agent, since midnight) that also
-- carries the disposition (reached or not), so the count never visits the table.
CREATE INDEX call_attempts_agent_day ON call_attempts (campaign_id, agent_id, started_at, disposition_id);
