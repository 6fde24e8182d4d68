-- The document of an IATI activity now holds its transactions too and is
-- stored compressed with S2 (sqldb/activity.go): an import writes about
-- half the pages it wrote, and reading an activity back is one row.
-- The program fills document_s2 from the old documents after this
-- migration (backfillActivityDocuments); 0009 drops the old ones.
ALTER TABLE iati_activities ADD COLUMN document_s2 BYTEA NOT NULL DEFAULT ''::bytea;
