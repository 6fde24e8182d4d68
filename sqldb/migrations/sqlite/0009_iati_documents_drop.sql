-- What 0008 replaced: the activity's JSON document (now in document_s2)
-- and the transactions' table, whose documents are now in the
-- activity's and whose columns nothing read. An import wrote a row per
-- transaction there, a tenth of its time.
ALTER TABLE iati_activities DROP COLUMN document;
DROP TABLE iati_transactions;
