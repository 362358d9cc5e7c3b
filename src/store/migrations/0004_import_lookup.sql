-- Migration 4: what an import looks up, keyed by what is looked up; imports that commit at the
-- same cost at 1k and 1M rows; contact counts kept with the writes.

-- A phone (E.164 digits as an integer) is the key of its own table: one B-tree, no index that
-- duplicates it. Replaces person_phones (rowid table + unique text index + person index).
-- No foreign key: these are lookup entries, removed with their persons by the import purge.
CREATE TABLE person_phone_keys (
    e164 {intkey},
    person_id BIGINT NOT NULL
);
INSERT INTO person_phone_keys (e164, person_id)
    SELECT CAST(substr(e164, 2) AS BIGINT), person_id FROM person_phones
    WHERE e164 LIKE '+%' ORDER BY 1
    ON CONFLICT DO NOTHING;
DROP TABLE person_phones;

-- A document number, clustered on the document (replaces the persons_document index).
CREATE TABLE person_document_keys (
    document TEXT NOT NULL PRIMARY KEY,
    person_id BIGINT NOT NULL
){without_rowid};
INSERT INTO person_document_keys (document, person_id)
    SELECT document, MIN(id) FROM persons
    WHERE document IS NOT NULL AND document <> '' AND anonymised_at IS NULL
    GROUP BY document ORDER BY document;
DROP INDEX persons_document;

-- What a batch created, as id ranges: a person or contact of a batch that is not confirmed is
-- judged by its batch's status, and a dead batch is purged by range. persons.import_batch_id
-- now stays set (who created the person); nothing clears it at commit.
ALTER TABLE import_batches ADD COLUMN person_first BIGINT;
ALTER TABLE import_batches ADD COLUMN person_last BIGINT;
ALTER TABLE import_batches ADD COLUMN contact_first BIGINT;
ALTER TABLE import_batches ADD COLUMN contact_last BIGINT;
UPDATE import_batches SET
    person_first = (SELECT MIN(p.id) FROM persons p WHERE p.import_batch_id = import_batches.id),
    person_last = (SELECT MAX(p.id) FROM persons p WHERE p.import_batch_id = import_batches.id),
    contact_first = (SELECT MIN(cc.id) FROM campaign_contacts cc WHERE cc.batch_id = import_batches.id),
    contact_last = (SELECT MAX(cc.id) FROM campaign_contacts cc WHERE cc.batch_id = import_batches.id)
    WHERE status = 'en_curso';

-- The visible contacts of each campaign, kept in the transactions that change them (an import's
-- commit adds its batch), so that no screen counts a million rows.
ALTER TABLE campaigns ADD COLUMN contact_count BIGINT NOT NULL DEFAULT 0;
UPDATE campaigns SET contact_count =
    (SELECT COUNT(*) FROM visible_contacts v WHERE v.campaign_id = campaigns.id);
