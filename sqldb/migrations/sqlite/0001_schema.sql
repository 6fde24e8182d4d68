-- The programme's records. Amounts are integer minor units in their own
-- currency (amount, currency) with their US cents (usd) and the rate used
-- (rate_id, NULL for US dollars). Every table carries a version for
-- optimistic locking.

CREATE TABLE organisations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	category TEXT NOT NULL,
	non_state TEXT NOT NULL DEFAULT '',
	ref TEXT NOT NULL DEFAULT '',
	type TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX organisations_name ON organisations (LOWER(name));
CREATE INDEX organisations_ref ON organisations (ref);

CREATE TABLE units (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	parent_id BIGINT REFERENCES units (id),
	region TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE agreements (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ref TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL DEFAULT '',
	donor_id BIGINT NOT NULL REFERENCES organisations (id),
	kind TEXT NOT NULL,
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL,
	amount BIGINT NOT NULL,
	currency TEXT NOT NULL,
	negotiated_by BIGINT REFERENCES units (id),
	local BOOLEAN NOT NULL DEFAULT FALSE,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX agreements_donor ON agreements (donor_id);

CREATE TABLE projects (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL,
	agreement_id BIGINT REFERENCES agreements (id),
	lead_unit_id BIGINT NOT NULL REFERENCES units (id),
	office_id BIGINT REFERENCES units (id),
	scope TEXT NOT NULL,
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL,
	status TEXT NOT NULL,
	currency TEXT NOT NULL,
	gender INTEGER NOT NULL DEFAULT 0,
	tri_design INTEGER NOT NULL DEFAULT 0,
	tri_implementation INTEGER NOT NULL DEFAULT 0,
	tri_monitoring INTEGER NOT NULL DEFAULT 0,
	tri_evaluation INTEGER NOT NULL DEFAULT 0,
	crisis BOOLEAN NOT NULL DEFAULT FALSE,
	iati_id TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX projects_lead_unit ON projects (lead_unit_id);
CREATE INDEX projects_office ON projects (office_id);
CREATE INDEX projects_status ON projects (status);
CREATE INDEX projects_iati ON projects (iati_id);

-- The lists that belong to a project. position keeps their order.
CREATE TABLE project_donors (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	donor_id BIGINT NOT NULL REFERENCES organisations (id),
	PRIMARY KEY (project_id, donor_id)
);
CREATE INDEX project_donors_donor ON project_donors (donor_id);

CREATE TABLE project_countries (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	country TEXT NOT NULL,
	percent INTEGER NOT NULL,
	PRIMARY KEY (project_id, country)
);
CREATE INDEX project_countries_country ON project_countries (country);

CREATE TABLE project_regions (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	code TEXT NOT NULL,
	percent INTEGER NOT NULL,
	PRIMARY KEY (project_id, code)
);

CREATE TABLE project_objectives (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	objective TEXT NOT NULL,
	outcome TEXT NOT NULL DEFAULT '',
	percent INTEGER NOT NULL,
	PRIMARY KEY (project_id, objective, outcome)
);
CREATE INDEX project_objectives_objective ON project_objectives (objective);

CREATE TABLE project_sectors (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	code TEXT NOT NULL,
	percent INTEGER NOT NULL,
	PRIMARY KEY (project_id, code)
);

CREATE TABLE project_budget (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	type TEXT NOT NULL,
	amount BIGINT NOT NULL,
	PRIMARY KEY (project_id, type)
);

CREATE TABLE project_conventions (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	convention INTEGER NOT NULL,
	PRIMARY KEY (project_id, convention)
);

CREATE TABLE project_country_outcomes (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	outcome_code TEXT NOT NULL,
	PRIMARY KEY (project_id, outcome_code)
);
CREATE INDEX project_country_outcomes_code ON project_country_outcomes (outcome_code);

CREATE TABLE exchange_rates (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	currency TEXT NOT NULL,
	rate_date TEXT NOT NULL,
	per_usd BIGINT NOT NULL,
	source TEXT NOT NULL,
	UNIQUE (currency, rate_date, source)
);

CREATE TABLE approvals (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	donor_id BIGINT NOT NULL REFERENCES organisations (id),
	project_id BIGINT REFERENCES projects (id),
	agreement_id BIGINT REFERENCES agreements (id),
	approved_on TEXT NOT NULL,
	year INTEGER NOT NULL,
	amount BIGINT NOT NULL,
	currency TEXT NOT NULL,
	usd BIGINT NOT NULL,
	rate_id BIGINT REFERENCES exchange_rates (id),
	local BOOLEAN NOT NULL DEFAULT FALSE,
	reason TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX approvals_year ON approvals (year);
CREATE INDEX approvals_donor ON approvals (donor_id);
CREATE INDEX approvals_project ON approvals (project_id);

CREATE TABLE allocations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id BIGINT NOT NULL REFERENCES projects (id),
	year INTEGER NOT NULL,
	amount BIGINT NOT NULL,
	currency TEXT NOT NULL,
	usd BIGINT NOT NULL,
	rate_id BIGINT REFERENCES exchange_rates (id),
	reason TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX allocations_project ON allocations (project_id, year);

CREATE TABLE expenditures (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id BIGINT NOT NULL REFERENCES projects (id),
	year INTEGER NOT NULL,
	month INTEGER NOT NULL,
	type TEXT NOT NULL,
	amount BIGINT NOT NULL,
	currency TEXT NOT NULL,
	usd BIGINT NOT NULL,
	rate_id BIGINT REFERENCES exchange_rates (id),
	reason TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX expenditures_project ON expenditures (project_id, year, month);

CREATE TABLE outcomes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	code TEXT NOT NULL,
	biennium TEXT NOT NULL,
	objective TEXT NOT NULL,
	title TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (biennium, code)
);

CREATE TABLE indicators (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	outcome_id BIGINT NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
	code TEXT NOT NULL,
	title TEXT NOT NULL,
	unit TEXT NOT NULL,
	baseline BIGINT NOT NULL DEFAULT 0,
	baseline_year INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (outcome_id, code)
);

CREATE TABLE targets (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	biennium TEXT NOT NULL,
	value BIGINT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (indicator_id, biennium)
);

CREATE TABLE results (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	biennium TEXT NOT NULL,
	project_id BIGINT REFERENCES projects (id),
	value BIGINT NOT NULL,
	reported TEXT NOT NULL,
	evidence TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX results_indicator ON results (indicator_id, biennium);
CREATE INDEX results_project ON results (project_id);

CREATE TABLE programmes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	country TEXT NOT NULL,
	title TEXT NOT NULL,
	start_year INTEGER NOT NULL,
	end_year INTEGER NOT NULL,
	status TEXT NOT NULL,
	undaf_framework TEXT NOT NULL DEFAULT '',
	undaf_start INTEGER NOT NULL DEFAULT 0,
	undaf_end INTEGER NOT NULL DEFAULT 0,
	undaf_status TEXT NOT NULL DEFAULT 'none',
	undaf_completed INTEGER NOT NULL DEFAULT 0,
	undaf_second_round TEXT NOT NULL DEFAULT '',
	prs_framework TEXT NOT NULL DEFAULT '',
	prs_start INTEGER NOT NULL DEFAULT 0,
	prs_end INTEGER NOT NULL DEFAULT 0,
	prs_status TEXT NOT NULL DEFAULT 'none',
	prs_completed INTEGER NOT NULL DEFAULT 0,
	prs_second_round TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX programmes_country ON programmes (country);

CREATE TABLE programme_priorities (
	programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
	number INTEGER NOT NULL,
	title TEXT NOT NULL,
	PRIMARY KEY (programme_id, number)
);

CREATE TABLE country_outcomes (
	code TEXT PRIMARY KEY,
	programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
	priority INTEGER NOT NULL,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	global_outcomes TEXT NOT NULL DEFAULT '',
	planned_usd BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX country_outcomes_programme ON country_outcomes (programme_id);

CREATE TABLE evaluations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	title TEXT NOT NULL,
	subject TEXT NOT NULL,
	project_id BIGINT REFERENCES projects (id),
	programme_id BIGINT REFERENCES programmes (id),
	theme TEXT NOT NULL DEFAULT '',
	type TEXT NOT NULL,
	timing TEXT NOT NULL,
	planned TEXT NOT NULL,
	actual TEXT,
	status TEXT NOT NULL,
	relevance INTEGER NOT NULL DEFAULT 0,
	efficiency INTEGER NOT NULL DEFAULT 0,
	effectiveness INTEGER NOT NULL DEFAULT 0,
	impact INTEGER NOT NULL DEFAULT 0,
	sustainability INTEGER NOT NULL DEFAULT 0,
	constituents INTEGER NOT NULL DEFAULT 0,
	budget_usd BIGINT NOT NULL DEFAULT 0,
	evaluator TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX evaluations_project ON evaluations (project_id);
CREATE INDEX evaluations_programme ON evaluations (programme_id);

CREATE TABLE lessons (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	evaluation_id BIGINT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	objective TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	theme TEXT NOT NULL DEFAULT '',
	assistance TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX lessons_evaluation ON lessons (evaluation_id);
CREATE INDEX lessons_country ON lessons (country);

CREATE TABLE training (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	year INTEGER NOT NULL,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	project_id BIGINT REFERENCES projects (id),
	country TEXT NOT NULL DEFAULT '',
	employers INTEGER NOT NULL DEFAULT 0,
	workers INTEGER NOT NULL DEFAULT 0,
	governments INTEGER NOT NULL DEFAULT 0,
	others INTEGER NOT NULL DEFAULT 0,
	women INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_year ON training (year);
CREATE INDEX training_project ON training (project_id);

CREATE TABLE users (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	donor_id BIGINT REFERENCES organisations (id),
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_units (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	PRIMARY KEY (user_id, unit_id)
);
CREATE INDEX user_units_unit ON user_units (unit_id);

CREATE TABLE changes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	changed_at TEXT NOT NULL,
	user_id BIGINT,
	actor TEXT NOT NULL,
	entity TEXT NOT NULL,
	record_id BIGINT NOT NULL,
	action TEXT NOT NULL,
	old_value TEXT NOT NULL DEFAULT '',
	new_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX changes_record ON changes (entity, record_id);
