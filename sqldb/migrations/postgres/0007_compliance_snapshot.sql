-- The evaluation compliance of every approved project, kept current on
-- write (sqldb/snapshot.go), so that the compliance reports sum and list
-- stored rows instead of applying the rule to each project as they read.
-- A row holds what tcmis.CheckCompliance decides that does not depend on
-- the day (requirements, planned, done, missing, and state: missing,
-- no-policy, done or planned), the project's report headings, and the
-- dates of its evaluations that can still become overdue: on day D its
-- overdue count is the number of those dates before D, and a planned
-- project is overdue when that number is not zero. problem holds why the
-- rule could not be applied (a budget that cannot be converted); the
-- reports then fail with it, as the rule would. The rows are written by
-- the program after this migration, not by it.
CREATE TABLE compliance (
	project_id BIGINT PRIMARY KEY,
	code TEXT NOT NULL,
	title TEXT NOT NULL,
	status TEXT NOT NULL,
	approved_on DATE,
	policy_id BIGINT NOT NULL,
	months BIGINT NOT NULL,
	budget_usd BIGINT NOT NULL,
	rule TEXT NOT NULL,
	final BIGINT NOT NULL,
	mid_term BIGINT NOT NULL,
	annual_reviews BIGINT NOT NULL,
	independent BIGINT NOT NULL,
	budget_line BIGINT NOT NULL,
	required BIGINT NOT NULL,
	planned BIGINT NOT NULL,
	done BIGINT NOT NULL,
	missing TEXT NOT NULL,
	state TEXT NOT NULL,
	open_first DATE,
	open_last DATE,
	open_count BIGINT NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	problem TEXT
);
-- The tallies read this index alone, in heading order, without a sort.
CREATE INDEX compliance_tally ON compliance (source, region, office_id, unit_id, donor_id, state, required, planned, done, open_first, open_last, open_count);
-- The list of late projects starts from the state and the first date.
CREATE INDEX compliance_late ON compliance (state, open_first);
CREATE INDEX compliance_problem ON compliance (project_id) WHERE problem IS NOT NULL;

-- The open dates of a project with more than one, for the day that falls
-- between its first and last (n evaluations on day due).
CREATE TABLE compliance_due (
	project_id BIGINT NOT NULL,
	due DATE NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (project_id, due)
);

-- One row that refreshes lock on PostgreSQL: a refresh of some projects
-- shares it, a refresh of all takes it alone (sqldb/snapshot.go).
CREATE TABLE compliance_lock (id INTEGER PRIMARY KEY);
INSERT INTO compliance_lock (id) VALUES (1);
