-- The record of IATI files sent to the application to be imported or
-- checked (tcmis.IATIRun): who sent which file when, how it ended, and the
-- report the application showed, as JSON compressed with S2. A run that
-- has not finished has no finished_at and no outcome. Runs go with their
-- user.
CREATE TABLE iati_runs (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	file TEXT NOT NULL,
	bytes BIGINT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	started_at TEXT NOT NULL,
	finished_at TEXT,
	outcome TEXT NOT NULL DEFAULT '',
	report BLOB
);
CREATE INDEX iati_runs_user ON iati_runs (user_id, id);
