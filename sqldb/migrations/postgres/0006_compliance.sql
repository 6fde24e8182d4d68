-- Evaluation compliance of a whole portfolio (sqldb/compliance.go): one
-- query reads, for every approved project, its report headings (the
-- first donor, country and region), its latest appraisal, its first
-- funding approval and its budget total. These indexes let it find each
-- by one index search, without sorting or reading the rows of each
-- project.
CREATE INDEX project_donors_position ON project_donors (project_id, position, donor_id);
CREATE INDEX project_countries_position ON project_countries (project_id, position, country);
CREATE INDEX project_regions_position ON project_regions (project_id, position, code);
CREATE INDEX project_budget_amount ON project_budget (project_id, amount);
CREATE INDEX approvals_project_day ON approvals (project_id, approved_on);
CREATE INDEX appraisals_latest ON appraisals (project_id, appraised_on, id);
