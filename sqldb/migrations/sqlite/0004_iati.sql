-- IATI activities: the published record of each project imported from or
-- exported to IATI (tcmis.Activity). The transactions have a table of
-- their own, keyed and so indexed by project; the other facets of an
-- activity (narratives in every language, organisations, dates, sectors,
-- budgets, results, document links and the XML kept for export) are one
-- JSON document per activity, read and written whole: nothing queries
-- inside them, and a document keeps both engines' schemas alike.

CREATE TABLE iati_activities (
	project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
	identifier TEXT NOT NULL UNIQUE,
	document TEXT NOT NULL,
	transactions INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL
);

-- The amount is in minor units of currency (the activity's default
-- currency when the transaction has none of its own); document is the
-- whole transaction as JSON, the columns what queries need. On SQLite the
-- rows live in their primary key's tree (WITHOUT ROWID): one tree to
-- write per row instead of two.
CREATE TABLE iati_transactions (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	type TEXT NOT NULL,
	tx_date TEXT NOT NULL,
	amount BIGINT NOT NULL,
	currency TEXT NOT NULL,
	value_date TEXT,
	provider_ref TEXT NOT NULL DEFAULT '',
	receiver_ref TEXT NOT NULL DEFAULT '',
	document TEXT NOT NULL,
	PRIMARY KEY (project_id, position)
) WITHOUT ROWID;
