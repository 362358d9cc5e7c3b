-- Migration 7: the call rules.
--
-- A person reached today is not offered again the same day (in any campaign): when an outcome
-- that reached the person is recorded, `persons.last_reached_at` (UTC seconds) is set in the
-- same transaction. The queue leaves out the persons reached since local midnight: the few
-- reached today are read by this partial index (no row for a person never reached).
ALTER TABLE persons ADD COLUMN last_reached_at BIGINT;
CREATE INDEX persons_last_reached ON persons (last_reached_at) WHERE last_reached_at IS NOT NULL;

-- The last outcome can be undone for a short while (domain::call::UNDO_SECS): the state the
-- attempt replaced, kept with it (a JSON snapshot of the contact's derived fields, the
-- person's last_reached_at, the opt-out rows it added and the contacts it closed). Rows older
-- than the undo window are purged when the next outcome is recorded.
CREATE TABLE call_undo (
    attempt_uuid TEXT NOT NULL PRIMARY KEY,
    contact_id BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE INDEX call_undo_recorded ON call_undo (recorded_at);
