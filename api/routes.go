package api

import (
	"net/http"

	"github.com/tcmis/tcmis"
)

// Route is one operation of the API. The ServeMux and the OpenAPI
// document are both made from the table below.
type Route struct {
	Method string
	// Path is a ServeMux path, also the OpenAPI path: /api/v1/projects/{id}.
	Path string
	// Permission is what the user must hold: Public for anyone, SignedIn
	// for any user. Handlers check the scope of one record themselves
	// (CanSeeProject, CanEditProject).
	Permission tcmis.Permission
	Summary    string
	// Request is the schema of the body ("" for none). Response is the
	// schema of the answer: "X" one record, "[]X" an array, "Page[X]" a
	// page of a list, "" no body.
	Request, Response string
	// Status is the status of success.
	Status int
	// Query are the query parameters, besides offset and limit on a page.
	Query  []Param
	handle handlerFunc
}

// The statuses of success, and no body. openapi.go maps the schema names
// of the table to Go types.
const (
	ok       = http.StatusOK
	created  = http.StatusCreated
	deleted  = http.StatusNoContent
	noSchema = ""
)

// table lists every route of the API.
func (h *Handler) table() []Route {
	var (
		orgs         = h.organisations()
		units        = h.units()
		agreements   = h.agreements()
		projects     = h.projects()
		approvals    = h.approvals()
		allocations  = h.allocations()
		expenditures = h.expenditures()
		rates        = h.rates()
		outcomes     = h.outcomes()
		indicators   = h.indicators()
		targets      = h.targets()
		results      = h.results()
		programmes   = h.programmes()
		evaluations  = h.evaluations()
		lessons      = h.lessons()
		training     = h.training()
		users        = h.users()
	)
	const (
		view      = tcmis.PermView
		internal  = tcmis.PermViewInternal
		editProj  = tcmis.PermEditProjects
		delivery  = tcmis.PermEditDelivery
		resources = tcmis.PermEditResources
		evals     = tcmis.PermEditEvaluations
		resultsP  = tcmis.PermEditResults
		admin     = tcmis.PermAdmin
	)
	const p = Prefix
	return []Route{
		{"GET", p + "/openapi.json", Public, "Read this API's OpenAPI document", noSchema, "OpenAPI", ok, nil, h.serveOpenAPI},

		// The signed-in user and their API tokens.
		{"GET", p + "/me", SignedIn, "Read the signed-in user and their permissions", noSchema, "Me", ok, nil, h.me},
		{"GET", p + "/tokens", SignedIn, "List the signed-in user's API tokens", noSchema, "[]APIToken", ok, nil, h.listTokens},
		{"POST", p + "/tokens", SignedIn, "Issue an API token to the signed-in user", "TokenRequest", "NewToken", created, nil, h.createToken},
		{"DELETE", p + "/tokens/{id}", SignedIn, "Delete one of the signed-in user's API tokens", noSchema, noSchema, deleted, nil, h.deleteToken},

		// Donors and partners.
		{"GET", p + "/organisations", internal, "List donors and partners", noSchema, "Page[Organisation]", ok, orgs.filters, list(orgs)},
		{"POST", p + "/organisations", resources, "Create a donor or partner", "Organisation", "Organisation", created, nil, create(orgs)},
		{"GET", p + "/organisations/{id}", internal, "Read a donor or partner", noSchema, "Organisation", ok, nil, get(orgs)},
		{"PUT", p + "/organisations/{id}", resources, "Update a donor or partner", "Organisation", "Organisation", ok, nil, update(orgs)},
		{"DELETE", p + "/organisations/{id}", resources, "Delete a donor or partner", noSchema, noSchema, deleted, nil, remove(orgs)},

		// Units and offices.
		{"GET", p + "/units", internal, "List units and offices", noSchema, "Page[Unit]", ok, units.filters, list(units)},
		{"POST", p + "/units", admin, "Create a unit or office", "Unit", "Unit", created, nil, create(units)},
		{"GET", p + "/units/{id}", internal, "Read a unit or office", noSchema, "Unit", ok, nil, get(units)},
		{"PUT", p + "/units/{id}", admin, "Update a unit or office", "Unit", "Unit", ok, nil, update(units)},
		{"DELETE", p + "/units/{id}", admin, "Delete a unit or office", noSchema, noSchema, deleted, nil, remove(units)},

		// Funding agreements.
		{"GET", p + "/agreements", internal, "List funding agreements", noSchema, "Page[Agreement]", ok, agreements.filters, list(agreements)},
		{"POST", p + "/agreements", resources, "Create a funding agreement", "Agreement", "Agreement", created, nil, create(agreements)},
		{"GET", p + "/agreements/{id}", internal, "Read a funding agreement", noSchema, "Agreement", ok, nil, get(agreements)},
		{"PUT", p + "/agreements/{id}", resources, "Update a funding agreement", "Agreement", "Agreement", ok, nil, update(agreements)},
		{"DELETE", p + "/agreements/{id}", resources, "Delete a funding agreement", noSchema, noSchema, deleted, nil, remove(agreements)},

		// Projects (a donor viewer sees only its donor's; a programme
		// officer edits only those of the units in their scope).
		{"GET", p + "/projects", view, "List projects", noSchema, "Page[Project]", ok, projects.filters, list(projects)},
		{"POST", p + "/projects", editProj, "Create a project proposal", "Project", "Project", created, nil, create(projects)},
		{"GET", p + "/projects/{id}", view, "Read a project", noSchema, "Project", ok, nil, get(projects)},
		{"PUT", p + "/projects/{id}", editProj, "Update a project (its status changes only through the cycle)", "Project", "Project", ok, nil, update(projects)},
		{"DELETE", p + "/projects/{id}", editProj, "Delete a project", noSchema, noSchema, deleted, nil, remove(projects)},
		{"POST", p + "/projects/{id}/status", editProj, "Move a project through the project cycle", "StatusRequest", "CycleResult", ok, nil, h.projectStatus},
		{"GET", p + "/projects/{id}/finance", view, "Read a project's approvals, allocations, expenditure and delivery by year", noSchema, "[]YearFinance", ok, nil, h.projectFinance},
		{"GET", p + "/projects/{id}/history", internal, "Read the audit trail of a project", noSchema, "Page[Change]", ok, nil, h.projectHistory},

		// Money.
		{"GET", p + "/approvals", internal, "List approvals", noSchema, "Page[Approval]", ok, approvals.filters, list(approvals)},
		{"POST", p + "/approvals", resources, "Record an approval", "Approval", "Approval", created, nil, create(approvals)},
		{"GET", p + "/approvals/{id}", internal, "Read an approval", noSchema, "Approval", ok, nil, get(approvals)},
		{"PUT", p + "/approvals/{id}", resources, "Update an approval", "Approval", "Approval", ok, nil, update(approvals)},
		{"DELETE", p + "/approvals/{id}", resources, "Delete an approval", noSchema, noSchema, deleted, nil, remove(approvals)},
		{"GET", p + "/allocations", internal, "List allocations", noSchema, "Page[Allocation]", ok, allocations.filters, list(allocations)},
		{"POST", p + "/allocations", delivery, "Record an allocation to a project", "Allocation", "Allocation", created, nil, create(allocations)},
		{"GET", p + "/allocations/{id}", internal, "Read an allocation", noSchema, "Allocation", ok, nil, get(allocations)},
		{"PUT", p + "/allocations/{id}", delivery, "Update an allocation", "Allocation", "Allocation", ok, nil, update(allocations)},
		{"DELETE", p + "/allocations/{id}", delivery, "Delete an allocation", noSchema, noSchema, deleted, nil, remove(allocations)},
		{"GET", p + "/expenditures", internal, "List monthly expenditure", noSchema, "Page[Expenditure]", ok, expenditures.filters, list(expenditures)},
		{"POST", p + "/expenditures", delivery, "Record a project's expenditure for a month", "Expenditure", "Expenditure", created, nil, create(expenditures)},
		{"GET", p + "/expenditures/{id}", internal, "Read an expenditure", noSchema, "Expenditure", ok, nil, get(expenditures)},
		{"PUT", p + "/expenditures/{id}", delivery, "Update an expenditure", "Expenditure", "Expenditure", ok, nil, update(expenditures)},
		{"DELETE", p + "/expenditures/{id}", delivery, "Delete an expenditure", noSchema, noSchema, deleted, nil, remove(expenditures)},
		{"GET", p + "/rates", internal, "List exchange rates", noSchema, "Page[ExchangeRate]", ok, rates.filters, list(rates)},
		{"POST", p + "/rates", admin, "Record an exchange rate", "ExchangeRate", "ExchangeRate", created, nil, create(rates)},
		{"GET", p + "/rates/{id}", internal, "Read an exchange rate", noSchema, "ExchangeRate", ok, nil, get(rates)},

		// Results framework.
		{"GET", p + "/outcomes", internal, "List outcomes of the results framework", noSchema, "Page[Outcome]", ok, outcomes.filters, list(outcomes)},
		{"POST", p + "/outcomes", resultsP, "Create an outcome", "Outcome", "Outcome", created, nil, create(outcomes)},
		{"GET", p + "/outcomes/{id}", internal, "Read an outcome", noSchema, "Outcome", ok, nil, get(outcomes)},
		{"PUT", p + "/outcomes/{id}", resultsP, "Update an outcome", "Outcome", "Outcome", ok, nil, update(outcomes)},
		{"DELETE", p + "/outcomes/{id}", resultsP, "Delete an outcome with its indicators", noSchema, noSchema, deleted, nil, remove(outcomes)},
		{"GET", p + "/indicators", internal, "List indicators", noSchema, "Page[Indicator]", ok, indicators.filters, list(indicators)},
		{"POST", p + "/indicators", resultsP, "Create an indicator", "Indicator", "Indicator", created, nil, create(indicators)},
		{"GET", p + "/indicators/{id}", internal, "Read an indicator", noSchema, "Indicator", ok, nil, get(indicators)},
		{"PUT", p + "/indicators/{id}", resultsP, "Update an indicator", "Indicator", "Indicator", ok, nil, update(indicators)},
		{"DELETE", p + "/indicators/{id}", resultsP, "Delete an indicator with its targets and results", noSchema, noSchema, deleted, nil, remove(indicators)},
		{"GET", p + "/targets", internal, "List targets", noSchema, "Page[Target]", ok, targets.filters, list(targets)},
		{"POST", p + "/targets", resultsP, "Create a target", "Target", "Target", created, nil, create(targets)},
		{"GET", p + "/targets/{id}", internal, "Read a target", noSchema, "Target", ok, nil, get(targets)},
		{"PUT", p + "/targets/{id}", resultsP, "Update a target", "Target", "Target", ok, nil, update(targets)},
		{"DELETE", p + "/targets/{id}", resultsP, "Delete a target", noSchema, noSchema, deleted, nil, remove(targets)},
		{"GET", p + "/results", internal, "List reported results", noSchema, "Page[Result]", ok, results.filters, list(results)},
		{"POST", p + "/results", resultsP, "Report a result", "Result", "Result", created, nil, create(results)},
		{"GET", p + "/results/{id}", internal, "Read a result", noSchema, "Result", ok, nil, get(results)},
		{"PUT", p + "/results/{id}", resultsP, "Update a result", "Result", "Result", ok, nil, update(results)},
		{"DELETE", p + "/results/{id}", resultsP, "Delete a result", noSchema, noSchema, deleted, nil, remove(results)},

		// Decent Work Country Programmes.
		{"GET", p + "/programmes", internal, "List country programmes", noSchema, "Page[CountryProgramme]", ok, programmes.filters, list(programmes)},
		{"POST", p + "/programmes", resultsP, "Create a country programme", "CountryProgramme", "CountryProgramme", created, nil, create(programmes)},
		{"GET", p + "/programmes/{id}", internal, "Read a country programme", noSchema, "CountryProgramme", ok, nil, get(programmes)},
		{"PUT", p + "/programmes/{id}", resultsP, "Update a country programme", "CountryProgramme", "CountryProgramme", ok, nil, update(programmes)},
		{"DELETE", p + "/programmes/{id}", resultsP, "Delete a country programme", noSchema, noSchema, deleted, nil, remove(programmes)},

		// Evaluations and lessons.
		{"GET", p + "/evaluations", internal, "List evaluations", noSchema, "Page[Evaluation]", ok, evaluations.filters, list(evaluations)},
		{"POST", p + "/evaluations", evals, "Plan or record an evaluation", "Evaluation", "Evaluation", created, nil, create(evaluations)},
		{"GET", p + "/evaluations/{id}", internal, "Read an evaluation", noSchema, "Evaluation", ok, nil, get(evaluations)},
		{"PUT", p + "/evaluations/{id}", evals, "Update an evaluation", "Evaluation", "Evaluation", ok, nil, update(evaluations)},
		{"DELETE", p + "/evaluations/{id}", evals, "Delete an evaluation", noSchema, noSchema, deleted, nil, remove(evaluations)},
		{"GET", p + "/lessons", internal, "List lessons learned and good practices", noSchema, "Page[Lesson]", ok, lessons.filters, list(lessons)},
		{"POST", p + "/lessons", evals, "Record a lesson", "Lesson", "Lesson", created, nil, create(lessons)},
		{"GET", p + "/lessons/{id}", internal, "Read a lesson", noSchema, "Lesson", ok, nil, get(lessons)},
		{"PUT", p + "/lessons/{id}", evals, "Update a lesson", "Lesson", "Lesson", ok, nil, update(lessons)},
		{"DELETE", p + "/lessons/{id}", evals, "Delete a lesson", noSchema, noSchema, deleted, nil, remove(lessons)},

		// Training.
		{"GET", p + "/training", internal, "List training activities", noSchema, "Page[TrainingActivity]", ok, training.filters, list(training)},
		{"POST", p + "/training", resultsP, "Record a training activity", "TrainingActivity", "TrainingActivity", created, nil, create(training)},
		{"GET", p + "/training/{id}", internal, "Read a training activity", noSchema, "TrainingActivity", ok, nil, get(training)},
		{"PUT", p + "/training/{id}", resultsP, "Update a training activity", "TrainingActivity", "TrainingActivity", ok, nil, update(training)},
		{"DELETE", p + "/training/{id}", resultsP, "Delete a training activity", noSchema, noSchema, deleted, nil, remove(training)},

		// Users (administrators only) and the audit trail.
		{"GET", p + "/users", admin, "List users", noSchema, "Page[User]", ok, users.filters, list(users)},
		{"POST", p + "/users", admin, "Create a user", "NewUser", "User", created, nil, h.createUser},
		{"GET", p + "/users/{id}", admin, "Read a user", noSchema, "User", ok, nil, get(users)},
		{"PUT", p + "/users/{id}", admin, "Update a user", "User", "User", ok, nil, update(users)},
		{"DELETE", p + "/users/{id}", admin, "Delete a user", noSchema, noSchema, deleted, nil, remove(users)},
		{"GET", p + "/changes", internal, "List the audit trail, newest first", noSchema, "Page[Change]", ok, changeFilters, h.listChanges},

		// Reports.
		{"GET", p + "/reports", view, "List the reports", noSchema, "[]ReportInfo", ok, nil, h.listReports},
		{"GET", p + "/reports/{name}", view, "Make a report", noSchema, "ReportTable", ok, paramsOf(nil), h.runReport},
	}
}
