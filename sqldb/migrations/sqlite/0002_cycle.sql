-- The programme cycle: the versions of the evaluation policy, project
-- appraisals with their criteria and the lessons they considered, the
-- history of each project's moves through the cycle, and the delivery
-- control system (thresholds and monthly snapshots).

-- One row per version of the evaluation policy; a project follows the
-- version in force on the day it was approved. Amounts in US cents.
CREATE TABLE evaluation_policies (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	ref TEXT NOT NULL DEFAULT '',
	effective TEXT NOT NULL UNIQUE,
	final_only_under INTEGER NOT NULL,
	mid_term_up_to INTEGER NOT NULL,
	review_every INTEGER NOT NULL,
	independent_over BIGINT NOT NULL,
	budget_line BOOLEAN NOT NULL DEFAULT FALSE,
	version INTEGER NOT NULL DEFAULT 1
);

-- The evaluation framework of November 2002 (GB.285/PFA/10) and the
-- evaluation policy of November 2005 (GB.294/PFA/8/4); the same as
-- tcmis.StandardPolicies.
INSERT INTO evaluation_policies (name, ref, effective, final_only_under, mid_term_up_to, review_every, independent_over, budget_line) VALUES
	('ILO evaluation framework', 'GB.285/PFA/10', '2002-11-01', 18, 30, 12, 35000000, FALSE),
	('ILO evaluation policy and strategy', 'GB.294/PFA/8/4', '2005-11-01', 18, 30, 12, 35000000, TRUE);

CREATE TABLE appraisals (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id BIGINT NOT NULL REFERENCES projects (id),
	appraiser TEXT NOT NULL,
	appraised_on TEXT NOT NULL,
	mid_term_agreed BOOLEAN NOT NULL DEFAULT FALSE,
	evaluation_budget BIGINT NOT NULL DEFAULT 0,
	summary TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX appraisals_project ON appraisals (project_id);

CREATE TABLE appraisal_criteria (
	appraisal_id BIGINT NOT NULL REFERENCES appraisals (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	criterion TEXT NOT NULL,
	mandatory BOOLEAN NOT NULL,
	result TEXT NOT NULL DEFAULT '',
	comment TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (appraisal_id, criterion)
);

CREATE TABLE appraisal_lessons (
	appraisal_id BIGINT NOT NULL REFERENCES appraisals (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	lesson_id BIGINT NOT NULL REFERENCES lessons (id),
	PRIMARY KEY (appraisal_id, lesson_id)
);
CREATE INDEX appraisal_lessons_lesson ON appraisal_lessons (lesson_id);

-- Each move of a project through the cycle; an approval names the
-- appraisal it relied on and the policy version it applied.
CREATE TABLE project_status_changes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id BIGINT NOT NULL REFERENCES projects (id),
	from_status TEXT NOT NULL,
	to_status TEXT NOT NULL,
	changed_on TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	actor TEXT NOT NULL,
	user_id BIGINT,
	role TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	appraisal_id BIGINT REFERENCES appraisals (id),
	policy_id BIGINT REFERENCES evaluation_policies (id)
);
CREATE INDEX project_status_changes_project ON project_status_changes (project_id);
CREATE INDEX project_status_changes_policy ON project_status_changes (policy_id);

-- scope_key is scope and unit ("project/0", "office/12"), so that each
-- scope has one threshold of its own and one per unit.
CREATE TABLE delivery_thresholds (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	scope TEXT NOT NULL,
	unit_id BIGINT REFERENCES units (id),
	scope_key TEXT NOT NULL UNIQUE,
	rate INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE delivery_snapshots (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	year INTEGER NOT NULL,
	month INTEGER NOT NULL,
	taken_at TEXT NOT NULL,
	actor TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (year, month)
);

CREATE TABLE delivery_snapshot_rows (
	snapshot_id BIGINT NOT NULL REFERENCES delivery_snapshots (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	scope TEXT NOT NULL,
	project_id BIGINT REFERENCES projects (id),
	unit_id BIGINT REFERENCES units (id),
	office_id BIGINT REFERENCES units (id),
	allocated BIGINT NOT NULL,
	spent_month BIGINT NOT NULL,
	spent_ytd BIGINT NOT NULL,
	forecast BIGINT NOT NULL,
	projects INTEGER NOT NULL,
	PRIMARY KEY (snapshot_id, position)
);
CREATE INDEX delivery_snapshot_rows_project ON delivery_snapshot_rows (project_id);
CREATE INDEX delivery_snapshot_rows_unit ON delivery_snapshot_rows (unit_id);
CREATE INDEX delivery_snapshot_rows_office ON delivery_snapshot_rows (office_id);
