-- Reports: the cost index that expresses amounts in real terms, the
-- geography money is attributed by, and the sums the reports read. The
-- store keeps the sums current in the same transaction as every write of
-- money or of a project (sqldb/sums.go), so a report reads a few
-- thousand rows however many projects and money rows there are.
--
-- Every sum is keyed by the headings reports filter and group by, with
-- zero or '' for "none" (the keys are NOT NULL so that each group has one
-- row to add to). Amounts in US cents; the split sums (by objective or by
-- place) hold US cents times the share in basis points, exact, and are
-- rounded to the cent when read (tcmis.Apportion). records counts the
-- money rows of a group, a split row in each of its groups; shares counts
-- them times their share in basis points, so that a sum over the split
-- groups counts each row once.

-- The level of costs of each year (tcmis.Decimal: 1000000 is 1.0).
CREATE TABLE cost_index (
	year INTEGER PRIMARY KEY,
	value BIGINT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);

-- The organisation's region of each ISO country code (letters) and of
-- each IATI region code (digits); the same as tcmis.RegionOf and
-- tcmis.RegionOfCode. Codes without a region are absent.
CREATE TABLE report_geography (
	code TEXT PRIMARY KEY,
	region TEXT NOT NULL
);
INSERT INTO report_geography (code, region) VALUES
	('AD', 'europe'), ('AE', 'arab-states'), ('AF', 'asia-pacific'), ('AG', 'americas'), ('AI', 'americas'), ('AL', 'europe'), ('AM', 'europe'), ('AO', 'africa'),
	('AR', 'americas'), ('AS', 'asia-pacific'), ('AT', 'europe'), ('AU', 'asia-pacific'), ('AW', 'americas'), ('AX', 'europe'), ('AZ', 'europe'), ('BA', 'europe'),
	('BB', 'americas'), ('BD', 'asia-pacific'), ('BE', 'europe'), ('BF', 'africa'), ('BG', 'europe'), ('BH', 'arab-states'), ('BI', 'africa'), ('BJ', 'africa'),
	('BL', 'americas'), ('BM', 'americas'), ('BN', 'asia-pacific'), ('BO', 'americas'), ('BQ', 'americas'), ('BR', 'americas'), ('BS', 'americas'), ('BT', 'asia-pacific'),
	('BW', 'africa'), ('BY', 'europe'), ('BZ', 'americas'), ('CA', 'americas'), ('CC', 'asia-pacific'), ('CD', 'africa'), ('CF', 'africa'), ('CG', 'africa'),
	('CH', 'europe'), ('CI', 'africa'), ('CK', 'asia-pacific'), ('CL', 'americas'), ('CM', 'africa'), ('CN', 'asia-pacific'), ('CO', 'americas'), ('CR', 'americas'),
	('CU', 'americas'), ('CV', 'africa'), ('CW', 'americas'), ('CX', 'asia-pacific'), ('CY', 'europe'), ('CZ', 'europe'), ('DE', 'europe'), ('DJ', 'africa'),
	('DK', 'europe'), ('DM', 'americas'), ('DO', 'americas'), ('DZ', 'africa'), ('EC', 'americas'), ('EE', 'europe'), ('EG', 'africa'), ('EH', 'africa'),
	('ER', 'africa'), ('ES', 'europe'), ('ET', 'africa'), ('FI', 'europe'), ('FJ', 'asia-pacific'), ('FK', 'americas'), ('FM', 'asia-pacific'), ('FO', 'europe'),
	('FR', 'europe'), ('GA', 'africa'), ('GB', 'europe'), ('GD', 'americas'), ('GE', 'europe'), ('GF', 'americas'), ('GG', 'europe'), ('GH', 'africa'),
	('GI', 'europe'), ('GL', 'americas'), ('GM', 'africa'), ('GN', 'africa'), ('GP', 'americas'), ('GQ', 'africa'), ('GR', 'europe'), ('GT', 'americas'),
	('GU', 'asia-pacific'), ('GW', 'africa'), ('GY', 'americas'), ('HK', 'asia-pacific'), ('HN', 'americas'), ('HR', 'europe'), ('HT', 'americas'), ('HU', 'europe'),
	('ID', 'asia-pacific'), ('IE', 'europe'), ('IL', 'europe'), ('IM', 'europe'), ('IN', 'asia-pacific'), ('IO', 'asia-pacific'), ('IQ', 'arab-states'), ('IR', 'asia-pacific'),
	('IS', 'europe'), ('IT', 'europe'), ('JE', 'europe'), ('JM', 'americas'), ('JO', 'arab-states'), ('JP', 'asia-pacific'), ('KE', 'africa'), ('KG', 'europe'),
	('KH', 'asia-pacific'), ('KI', 'asia-pacific'), ('KM', 'africa'), ('KN', 'americas'), ('KP', 'asia-pacific'), ('KR', 'asia-pacific'), ('KW', 'arab-states'), ('KY', 'americas'),
	('KZ', 'europe'), ('LA', 'asia-pacific'), ('LB', 'arab-states'), ('LC', 'americas'), ('LI', 'europe'), ('LK', 'asia-pacific'), ('LR', 'africa'), ('LS', 'africa'),
	('LT', 'europe'), ('LU', 'europe'), ('LV', 'europe'), ('LY', 'africa'), ('MA', 'africa'), ('MC', 'europe'), ('MD', 'europe'), ('ME', 'europe'),
	('MF', 'americas'), ('MG', 'africa'), ('MH', 'asia-pacific'), ('MK', 'europe'), ('ML', 'africa'), ('MM', 'asia-pacific'), ('MN', 'asia-pacific'), ('MO', 'asia-pacific'),
	('MP', 'asia-pacific'), ('MQ', 'americas'), ('MR', 'africa'), ('MS', 'americas'), ('MT', 'europe'), ('MU', 'africa'), ('MV', 'asia-pacific'), ('MW', 'africa'),
	('MX', 'americas'), ('MY', 'asia-pacific'), ('MZ', 'africa'), ('NA', 'africa'), ('NC', 'asia-pacific'), ('NE', 'africa'), ('NF', 'asia-pacific'), ('NG', 'africa'),
	('NI', 'americas'), ('NL', 'europe'), ('NO', 'europe'), ('NP', 'asia-pacific'), ('NR', 'asia-pacific'), ('NU', 'asia-pacific'), ('NZ', 'asia-pacific'), ('OM', 'arab-states'),
	('PA', 'americas'), ('PE', 'americas'), ('PF', 'asia-pacific'), ('PG', 'asia-pacific'), ('PH', 'asia-pacific'), ('PK', 'asia-pacific'), ('PL', 'europe'), ('PM', 'americas'),
	('PN', 'asia-pacific'), ('PR', 'americas'), ('PS', 'arab-states'), ('PT', 'europe'), ('PW', 'asia-pacific'), ('PY', 'americas'), ('QA', 'arab-states'), ('RE', 'africa'),
	('RO', 'europe'), ('RS', 'europe'), ('RU', 'europe'), ('RW', 'africa'), ('SA', 'arab-states'), ('SB', 'asia-pacific'), ('SC', 'africa'), ('SD', 'africa'),
	('SE', 'europe'), ('SG', 'asia-pacific'), ('SH', 'africa'), ('SI', 'europe'), ('SJ', 'europe'), ('SK', 'europe'), ('SL', 'africa'), ('SM', 'europe'),
	('SN', 'africa'), ('SO', 'africa'), ('SR', 'americas'), ('SS', 'africa'), ('ST', 'africa'), ('SV', 'americas'), ('SX', 'americas'), ('SY', 'arab-states'),
	('SZ', 'africa'), ('TC', 'americas'), ('TD', 'africa'), ('TG', 'africa'), ('TH', 'asia-pacific'), ('TJ', 'europe'), ('TK', 'asia-pacific'), ('TL', 'asia-pacific'),
	('TM', 'europe'), ('TN', 'africa'), ('TO', 'asia-pacific'), ('TR', 'europe'), ('TT', 'americas'), ('TV', 'asia-pacific'), ('TW', 'asia-pacific'), ('TZ', 'africa'),
	('UA', 'europe'), ('UG', 'africa'), ('UM', 'asia-pacific'), ('US', 'americas'), ('UY', 'americas'), ('UZ', 'europe'), ('VA', 'europe'), ('VC', 'americas'),
	('VE', 'americas'), ('VG', 'americas'), ('VI', 'americas'), ('VN', 'asia-pacific'), ('VU', 'asia-pacific'), ('WF', 'asia-pacific'), ('WS', 'asia-pacific'), ('XK', 'europe'),
	('YE', 'arab-states'), ('YT', 'africa'), ('ZA', 'africa'), ('ZM', 'africa'), ('ZW', 'africa'), ('1027', 'africa'), ('1028', 'africa'), ('1029', 'africa'),
	('1030', 'africa'), ('1031', 'americas'), ('1032', 'americas'), ('1033', 'asia-pacific'), ('1034', 'asia-pacific'), ('1035', 'asia-pacific'), ('189', 'africa'), ('289', 'africa'),
	('298', 'africa'), ('380', 'americas'), ('389', 'americas'), ('489', 'americas'), ('498', 'americas'), ('589', 'arab-states'), ('619', 'europe'), ('679', 'asia-pacific'),
	('689', 'asia-pacific'), ('789', 'asia-pacific'), ('798', 'asia-pacific'), ('88', 'europe'), ('889', 'asia-pacific'), ('89', 'europe');

-- Approvals by year, donor, local mobilisation, the project's source,
-- reporting region and office, split by the project's objective shares
-- (cents x basis points). An approval of no project is extra-budgetary,
-- with no region, office or objective.
CREATE TABLE report_approvals (
	year INTEGER NOT NULL,
	donor_id BIGINT NOT NULL,
	local INTEGER NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	objective TEXT NOT NULL,
	amount BIGINT NOT NULL,
	records BIGINT NOT NULL,
	shares BIGINT NOT NULL,
	PRIMARY KEY (year, donor_id, local, source, region, office_id, objective)
);

-- Allocations by year and the project's headings; donor_id is the lead
-- donor.
CREATE TABLE report_allocations (
	year INTEGER NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	amount BIGINT NOT NULL,
	records BIGINT NOT NULL,
	PRIMARY KEY (year, source, region, office_id, unit_id, donor_id)
);

-- Expenditure by month and the project's headings.
CREATE TABLE report_spending (
	year INTEGER NOT NULL,
	month INTEGER NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	amount BIGINT NOT NULL,
	records BIGINT NOT NULL,
	PRIMARY KEY (year, month, source, region, office_id, unit_id, donor_id)
);

-- Expenditure by year and type of assistance, split by the project's
-- objective and outcome shares (cents x basis points).
CREATE TABLE report_spending_objective (
	year INTEGER NOT NULL,
	type TEXT NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	objective TEXT NOT NULL,
	outcome TEXT NOT NULL,
	amount BIGINT NOT NULL,
	records BIGINT NOT NULL,
	shares BIGINT NOT NULL,
	PRIMARY KEY (year, type, source, region, office_id, donor_id, objective, outcome)
);

-- Expenditure by year, split by the project's country and region shares
-- (cents x basis points): place is a country code (letters), an IATI
-- region code (digits), or '' for a project with neither.
CREATE TABLE report_spending_place (
	year INTEGER NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	place TEXT NOT NULL,
	amount BIGINT NOT NULL,
	records BIGINT NOT NULL,
	shares BIGINT NOT NULL,
	PRIMARY KEY (year, source, region, office_id, donor_id, place)
);

-- Each project's allocations and monthly expenditure in a year, with its
-- headings, for delivery by project; kept in order of year, so that a
-- year's rows are read together.
CREATE TABLE report_project_years (
	project_id BIGINT NOT NULL,
	year INTEGER NOT NULL,
	source TEXT NOT NULL,
	region TEXT NOT NULL,
	office_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	allocated BIGINT NOT NULL,
	m1 BIGINT NOT NULL, m2 BIGINT NOT NULL, m3 BIGINT NOT NULL, m4 BIGINT NOT NULL,
	m5 BIGINT NOT NULL, m6 BIGINT NOT NULL, m7 BIGINT NOT NULL, m8 BIGINT NOT NULL,
	m9 BIGINT NOT NULL, m10 BIGINT NOT NULL, m11 BIGINT NOT NULL, m12 BIGINT NOT NULL,
	records BIGINT NOT NULL,
	PRIMARY KEY (year, project_id)
);

-- Where the store stages the money rows it adds to the sums, and their
-- projects' headings, within a transaction; empty between transactions.
CREATE TABLE report_fold (
	project_id BIGINT,
	donor_id BIGINT NOT NULL,
	year INTEGER NOT NULL,
	month INTEGER NOT NULL,
	type TEXT NOT NULL,
	local INTEGER NOT NULL,
	usd BIGINT NOT NULL,
	n BIGINT NOT NULL
);
CREATE INDEX report_fold_project ON report_fold (project_id);

CREATE TABLE report_fold_projects (
	project_id BIGINT PRIMARY KEY,
	source TEXT NOT NULL,
	unit_id BIGINT NOT NULL,
	office_id BIGINT NOT NULL,
	donor_id BIGINT NOT NULL,
	region TEXT NOT NULL
);

-- Backfill: the sums of the money already stored (generated: go test ./sqldb -run TestSumsBackfill -update-backfill).
INSERT INTO report_fold (project_id, donor_id, year, month, type, local, usd, n) SELECT project_id, donor_id, year, 0, '', CASE WHEN local THEN 1 ELSE 0 END, CAST(SUM(usd) AS BIGINT) * 1, COUNT(*) * 1 FROM approvals WHERE 1 = 1 GROUP BY project_id, donor_id, year, local;
INSERT INTO report_fold_projects (project_id, source, unit_id, office_id, donor_id, region) SELECT p.id AS project_id, p.source AS source, p.lead_unit_id AS unit_id, COALESCE(p.office_id, 0) AS office_id, COALESCE((SELECT d.donor_id FROM project_donors d WHERE d.project_id = p.id ORDER BY d.position LIMIT 1), 0) AS donor_id, CASE WHEN p.scope IN ('interregional', 'global') THEN 'interregional' ELSE COALESCE( (SELECT g.region FROM project_countries c JOIN report_geography g ON g.code = c.country WHERE c.project_id = p.id ORDER BY c.position LIMIT 1), (SELECT g.region FROM project_regions r JOIN report_geography g ON g.code = r.code WHERE r.project_id = p.id ORDER BY r.position LIMIT 1), (SELECT u.region FROM units u WHERE u.id = p.office_id AND u.region <> ''), '') END AS region FROM projects p WHERE p.id IN (SELECT project_id FROM report_fold) GROUP BY p.id;
WITH base AS (SELECT project_id, year, donor_id, month, type, local, usd, n FROM report_fold), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_approvals (year, donor_id, local, source, region, office_id, objective, amount, records, shares) SELECT b.year, b.donor_id, b.local, COALESCE(pd.source, 'xbtc'), COALESCE(pd.region, ''), COALESCE(pd.office_id, 0), COALESCE(o.objective, ''), SUM(b.usd * COALESCE(o.percent, 10000)), SUM(b.n), SUM(b.n * COALESCE(o.percent, 10000)) FROM base b LEFT JOIN pd ON pd.project_id = b.project_id LEFT JOIN project_objectives o ON o.project_id = b.project_id WHERE 1 = 1 GROUP BY b.year, b.donor_id, b.local, COALESCE(pd.source, 'xbtc'), COALESCE(pd.region, ''), COALESCE(pd.office_id, 0), COALESCE(o.objective, '') ON CONFLICT (year, donor_id, local, source, region, office_id, objective) DO UPDATE SET amount = report_approvals.amount + excluded.amount, records = report_approvals.records + excluded.records, shares = report_approvals.shares + excluded.shares;
DELETE FROM report_fold;
DELETE FROM report_fold_projects;
INSERT INTO report_fold (project_id, donor_id, year, month, type, local, usd, n) SELECT project_id, 0, year, 0, '', 0, CAST(SUM(usd) AS BIGINT) * 1, COUNT(*) * 1 FROM allocations WHERE 1 = 1 GROUP BY project_id, year;
INSERT INTO report_fold_projects (project_id, source, unit_id, office_id, donor_id, region) SELECT p.id AS project_id, p.source AS source, p.lead_unit_id AS unit_id, COALESCE(p.office_id, 0) AS office_id, COALESCE((SELECT d.donor_id FROM project_donors d WHERE d.project_id = p.id ORDER BY d.position LIMIT 1), 0) AS donor_id, CASE WHEN p.scope IN ('interregional', 'global') THEN 'interregional' ELSE COALESCE( (SELECT g.region FROM project_countries c JOIN report_geography g ON g.code = c.country WHERE c.project_id = p.id ORDER BY c.position LIMIT 1), (SELECT g.region FROM project_regions r JOIN report_geography g ON g.code = r.code WHERE r.project_id = p.id ORDER BY r.position LIMIT 1), (SELECT u.region FROM units u WHERE u.id = p.office_id AND u.region <> ''), '') END AS region FROM projects p WHERE p.id IN (SELECT project_id FROM report_fold) GROUP BY p.id;
WITH base AS (SELECT project_id, year, donor_id, month, type, local, usd, n FROM report_fold), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_allocations (year, source, region, office_id, unit_id, donor_id, amount, records) SELECT b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, SUM(b.usd), SUM(b.n) FROM base b JOIN pd ON pd.project_id = b.project_id WHERE 1 = 1 GROUP BY b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id ON CONFLICT (year, source, region, office_id, unit_id, donor_id) DO UPDATE SET amount = report_allocations.amount + excluded.amount, records = report_allocations.records + excluded.records;
WITH base AS (SELECT project_id, year, donor_id, month, type, local, usd, n FROM report_fold), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_project_years (project_id, year, source, region, office_id, unit_id, donor_id, allocated, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, records) SELECT b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, SUM(b.usd), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, SUM(b.n) FROM base b JOIN pd ON pd.project_id = b.project_id WHERE 1 = 1 GROUP BY b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id ON CONFLICT (year, project_id) DO UPDATE SET source = excluded.source, region = excluded.region, office_id = excluded.office_id, unit_id = excluded.unit_id, donor_id = excluded.donor_id, records = report_project_years.records + excluded.records, allocated = report_project_years.allocated + excluded.allocated;
DELETE FROM report_fold;
DELETE FROM report_fold_projects;
INSERT INTO report_fold (project_id, donor_id, year, month, type, local, usd, n) SELECT project_id, 0, year, month, type, 0, usd * 1, CAST(1 AS BIGINT) FROM expenditures WHERE 1 = 1;
INSERT INTO report_fold_projects (project_id, source, unit_id, office_id, donor_id, region) SELECT p.id AS project_id, p.source AS source, p.lead_unit_id AS unit_id, COALESCE(p.office_id, 0) AS office_id, COALESCE((SELECT d.donor_id FROM project_donors d WHERE d.project_id = p.id ORDER BY d.position LIMIT 1), 0) AS donor_id, CASE WHEN p.scope IN ('interregional', 'global') THEN 'interregional' ELSE COALESCE( (SELECT g.region FROM project_countries c JOIN report_geography g ON g.code = c.country WHERE c.project_id = p.id ORDER BY c.position LIMIT 1), (SELECT g.region FROM project_regions r JOIN report_geography g ON g.code = r.code WHERE r.project_id = p.id ORDER BY r.position LIMIT 1), (SELECT u.region FROM units u WHERE u.id = p.office_id AND u.region <> ''), '') END AS region FROM projects p WHERE p.id IN (SELECT project_id FROM report_fold) GROUP BY p.id;
WITH base AS (SELECT project_id, year, 0 AS donor_id, month AS month, '' AS type, 0 AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY project_id, year, month), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_spending (year, month, source, region, office_id, unit_id, donor_id, amount, records) SELECT b.year, b.month, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, SUM(b.usd), SUM(b.n) FROM base b JOIN pd ON pd.project_id = b.project_id WHERE 1 = 1 GROUP BY b.year, b.month, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id ON CONFLICT (year, month, source, region, office_id, unit_id, donor_id) DO UPDATE SET amount = report_spending.amount + excluded.amount, records = report_spending.records + excluded.records;
WITH base AS (SELECT project_id, year, 0 AS donor_id, 0 AS month, type AS type, 0 AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY project_id, year, type), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_spending_objective (year, type, source, region, office_id, donor_id, objective, outcome, amount, records, shares) SELECT b.year, b.type, pd.source, pd.region, pd.office_id, pd.donor_id, COALESCE(o.objective, ''), COALESCE(o.outcome, ''), SUM(b.usd * COALESCE(o.percent, 10000)), SUM(b.n), SUM(b.n * COALESCE(o.percent, 10000)) FROM base b JOIN pd ON pd.project_id = b.project_id LEFT JOIN project_objectives o ON o.project_id = b.project_id WHERE 1 = 1 GROUP BY b.year, b.type, pd.source, pd.region, pd.office_id, pd.donor_id, COALESCE(o.objective, ''), COALESCE(o.outcome, '') ON CONFLICT (year, type, source, region, office_id, donor_id, objective, outcome) DO UPDATE SET amount = report_spending_objective.amount + excluded.amount, records = report_spending_objective.records + excluded.records, shares = report_spending_objective.shares + excluded.shares;
WITH base AS (SELECT project_id, year, 0 AS donor_id, 0 AS month, '' AS type, 0 AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY project_id, year), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_spending_place (year, source, region, office_id, donor_id, place, amount, records, shares) SELECT b.year, pd.source, pd.region, pd.office_id, pd.donor_id, c.country, SUM(b.usd * c.percent), SUM(b.n), SUM(b.n * c.percent) FROM base b JOIN pd ON pd.project_id = b.project_id JOIN project_countries c ON c.project_id = b.project_id WHERE 1 = 1 GROUP BY b.year, pd.source, pd.region, pd.office_id, pd.donor_id, c.country ON CONFLICT (year, source, region, office_id, donor_id, place) DO UPDATE SET amount = report_spending_place.amount + excluded.amount, records = report_spending_place.records + excluded.records, shares = report_spending_place.shares + excluded.shares;
WITH base AS (SELECT project_id, year, 0 AS donor_id, 0 AS month, '' AS type, 0 AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY project_id, year), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_spending_place (year, source, region, office_id, donor_id, place, amount, records, shares) SELECT b.year, pd.source, pd.region, pd.office_id, pd.donor_id, c.code, SUM(b.usd * c.percent), SUM(b.n), SUM(b.n * c.percent) FROM base b JOIN pd ON pd.project_id = b.project_id JOIN project_regions c ON c.project_id = b.project_id WHERE 1 = 1 GROUP BY b.year, pd.source, pd.region, pd.office_id, pd.donor_id, c.code ON CONFLICT (year, source, region, office_id, donor_id, place) DO UPDATE SET amount = report_spending_place.amount + excluded.amount, records = report_spending_place.records + excluded.records, shares = report_spending_place.shares + excluded.shares;
WITH base AS (SELECT project_id, year, 0 AS donor_id, 0 AS month, '' AS type, 0 AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY project_id, year), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_spending_place (year, source, region, office_id, donor_id, place, amount, records, shares) SELECT b.year, pd.source, pd.region, pd.office_id, pd.donor_id, '', SUM(b.usd * 10000), SUM(b.n), SUM(b.n * 10000) FROM base b JOIN pd ON pd.project_id = b.project_id WHERE 1 = 1 AND NOT EXISTS (SELECT 1 FROM project_countries c WHERE c.project_id = b.project_id) AND NOT EXISTS (SELECT 1 FROM project_regions c WHERE c.project_id = b.project_id) GROUP BY b.year, pd.source, pd.region, pd.office_id, pd.donor_id ON CONFLICT (year, source, region, office_id, donor_id, place) DO UPDATE SET amount = report_spending_place.amount + excluded.amount, records = report_spending_place.records + excluded.records, shares = report_spending_place.shares + excluded.shares;
WITH base AS (SELECT project_id, year, 0 AS donor_id, month AS month, '' AS type, 0 AS local, SUM(usd) AS usd, SUM(n) AS n FROM report_fold GROUP BY project_id, year, month), pd AS (SELECT project_id, source, unit_id, office_id, donor_id, region FROM report_fold_projects) INSERT INTO report_project_years (project_id, year, source, region, office_id, unit_id, donor_id, allocated, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, records) SELECT b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id, 0, SUM(CASE WHEN b.month = 1 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 2 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 3 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 4 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 5 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 6 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 7 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 8 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 9 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 10 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 11 THEN b.usd ELSE 0 END), SUM(CASE WHEN b.month = 12 THEN b.usd ELSE 0 END), SUM(b.n) FROM base b JOIN pd ON pd.project_id = b.project_id WHERE 1 = 1 GROUP BY b.project_id, b.year, pd.source, pd.region, pd.office_id, pd.unit_id, pd.donor_id ON CONFLICT (year, project_id) DO UPDATE SET source = excluded.source, region = excluded.region, office_id = excluded.office_id, unit_id = excluded.unit_id, donor_id = excluded.donor_id, records = report_project_years.records + excluded.records, m1 = report_project_years.m1 + excluded.m1, m2 = report_project_years.m2 + excluded.m2, m3 = report_project_years.m3 + excluded.m3, m4 = report_project_years.m4 + excluded.m4, m5 = report_project_years.m5 + excluded.m5, m6 = report_project_years.m6 + excluded.m6, m7 = report_project_years.m7 + excluded.m7, m8 = report_project_years.m8 + excluded.m8, m9 = report_project_years.m9 + excluded.m9, m10 = report_project_years.m10 + excluded.m10, m11 = report_project_years.m11 + excluded.m11, m12 = report_project_years.m12 + excluded.m12;
DELETE FROM report_fold;
DELETE FROM report_fold_projects;
