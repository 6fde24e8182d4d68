package web

import (
	"net/http"

	"github.com/tcmis/tcmis"
)

// Route is one pattern of the application and the permission it needs.
// Public routes (sign-in, first run, assets) need none.
type Route struct {
	Pattern string
	Perm    tcmis.Permission
}

// public marks a route anyone may open.
const public tcmis.Permission = ""

// register lists every route of the application. Handlers that act on one
// record check the user's scope themselves (CanSeeProject,
// CanEditProject).
func (s *Server) register() {
	// Sign-in, first run, language, assets.
	s.handle("GET /static/{file}", public, s.asset)
	s.handle("GET /signin", public, s.signInForm)
	s.handle("POST /signin", public, s.signIn)
	s.handle("POST /signout", public, s.signOut)
	if s.cfg.OIDC != nil { // single sign-on (signin_oidc.go)
		s.handle("GET /signin/sso", public, s.ssoStart)
		s.handle("GET /signin/sso/callback", public, s.ssoCallback)
	}
	s.handle("GET /setup", public, s.setupForm)
	s.handle("POST /setup", public, s.setup)
	s.handle("POST /language", public, s.setLanguage)

	// Dashboard.
	s.handle("GET /{$}", tcmis.PermView, s.dashboard)

	// Projects: list, page, forms, money, cycle (project_*.go).
	s.handle("GET /projects", tcmis.PermView, s.projectList)
	s.handle("GET /projects/new", tcmis.PermEditProjects, s.projectNewForm)
	s.handle("POST /projects/new", tcmis.PermEditProjects, s.projectCreate)
	s.handle("GET /projects/{id}", tcmis.PermView, s.projectPage)
	s.handle("GET /projects/{id}/iati", tcmis.PermView, s.projectIATIPage)
	s.handle("GET /projects/{id}/iati.xml", tcmis.PermView, s.projectIATI)
	s.handle("GET /projects/{id}/history", tcmis.PermViewInternal, s.projectHistoryPage)
	s.handle("GET /projects/{id}/edit", tcmis.PermEditProjects, s.projectEditForm)
	s.handle("POST /projects/{id}/edit", tcmis.PermEditProjects, s.projectUpdate)
	s.handle("POST /projects/{id}/status", tcmis.PermEditProjects, s.projectStatus)
	s.handle("POST /projects/{id}/appraisals", tcmis.PermEditProjects, s.projectAppraisal)
	s.handle("POST /projects/{id}/expenditures", tcmis.PermEditDelivery, s.projectExpenditure)
	s.handle("POST /projects/{id}/expenditures/{eid}/delete", tcmis.PermEditDelivery, s.projectExpenditureDelete)
	s.handle("POST /projects/{id}/allocations", tcmis.PermEditDelivery, s.projectAllocation)
	s.handle("POST /projects/{id}/allocations/{eid}/delete", tcmis.PermEditDelivery, s.projectAllocationDelete)
	s.handle("POST /projects/{id}/approvals", tcmis.PermEditResources, s.projectApproval)
	s.handle("POST /projects/{id}/approvals/{eid}/delete", tcmis.PermEditResources, s.projectApprovalDelete)

	// Donors and agreements (donor*.go, agreement*.go).
	s.handle("GET /donors", tcmis.PermViewInternal, s.donorList)
	s.handle("GET /donors/new", tcmis.PermEditResources, s.donorNewForm)
	s.handle("POST /donors/new", tcmis.PermEditResources, s.donorCreate)
	s.handle("GET /donors/{id}", tcmis.PermViewInternal, s.donorPage)
	s.handle("GET /donors/{id}/edit", tcmis.PermEditResources, s.donorEditForm)
	s.handle("POST /donors/{id}/edit", tcmis.PermEditResources, s.donorUpdate)
	s.handle("GET /agreements", tcmis.PermViewInternal, s.agreementList)
	s.handle("GET /agreements/new", tcmis.PermEditResources, s.agreementNewForm)
	s.handle("POST /agreements/new", tcmis.PermEditResources, s.agreementCreate)
	s.handle("GET /agreements/{id}", tcmis.PermViewInternal, s.agreementPage)
	s.handle("GET /agreements/{id}/edit", tcmis.PermEditResources, s.agreementEditForm)
	s.handle("POST /agreements/{id}/edit", tcmis.PermEditResources, s.agreementUpdate)

	// Countries and their Decent Work Country Programmes (country*.go).
	s.handle("GET /countries", tcmis.PermViewInternal, s.countryList)
	s.handle("GET /countries/{code}", tcmis.PermViewInternal, s.countryPage)
	s.handle("GET /programmes/new", tcmis.PermEditResults, s.programmeNewForm)
	s.handle("POST /programmes/new", tcmis.PermEditResults, s.programmeCreate)
	s.handle("GET /programmes/{id}/edit", tcmis.PermEditResults, s.programmeEditForm)
	s.handle("POST /programmes/{id}/edit", tcmis.PermEditResults, s.programmeUpdate)

	// Results framework (results*.go).
	s.handle("GET /results", tcmis.PermViewInternal, s.resultsPage)
	s.handle("GET /results/outcomes/new", tcmis.PermEditResults, s.resultsNewForm("outcome"))
	s.handle("POST /results/outcomes/new", tcmis.PermEditResults, s.resultsCreate("outcome"))
	s.handle("GET /results/indicators/new", tcmis.PermEditResults, s.resultsNewForm("indicator"))
	s.handle("POST /results/indicators/new", tcmis.PermEditResults, s.resultsCreate("indicator"))
	s.handle("GET /results/targets/new", tcmis.PermEditResults, s.resultsNewForm("target"))
	s.handle("POST /results/targets/new", tcmis.PermEditResults, s.resultsCreate("target"))
	s.handle("GET /results/reported/new", tcmis.PermEditResults, s.resultsNewForm("result"))
	s.handle("POST /results/reported/new", tcmis.PermEditResults, s.resultsCreate("result"))

	// Evaluations and lessons (evaluation*.go, lesson*.go).
	s.handle("GET /evaluations", tcmis.PermViewInternal, s.evaluationList)
	s.handle("GET /evaluations/new", tcmis.PermEditEvaluations, s.evaluationNewForm)
	s.handle("POST /evaluations/new", tcmis.PermEditEvaluations, s.evaluationCreate)
	s.handle("GET /evaluations/{id}", tcmis.PermViewInternal, s.evaluationPage)
	s.handle("GET /evaluations/{id}/edit", tcmis.PermEditEvaluations, s.evaluationEditForm)
	s.handle("POST /evaluations/{id}/edit", tcmis.PermEditEvaluations, s.evaluationUpdate)
	s.handle("POST /evaluations/{id}/lessons", tcmis.PermEditEvaluations, s.lessonCreate)
	s.handle("GET /lessons", tcmis.PermViewInternal, s.lessonList)

	// Reports (report*.go): the programme's published statistics, for
	// donor viewers too.
	s.handle("GET /reports", tcmis.PermView, s.reportList)
	s.handle("GET /reports/workbook.xlsx", tcmis.PermView, s.reportWorkbook)
	s.handle("GET /reports/{name}", tcmis.PermView, s.reportShow)
	s.handle("GET /reports/{name}/trace", tcmis.PermView, s.reportTrace)

	// IATI (iati*.go): imports and validations run in the background
	// (jobs.go); only who started one, and administrators, may follow it.
	s.handle("GET /iati", tcmis.PermViewInternal, s.iatiHome)
	s.handle("POST /iati/imports", tcmis.PermImport, s.iatiImport)
	s.handle("GET /iati/imports/{job}", tcmis.PermViewInternal, s.iatiJob)
	s.handle("GET /iati/imports/{job}/progress", tcmis.PermViewInternal, s.iatiJobProgress)
	s.handle("GET /iati/validate", tcmis.PermViewInternal, s.iatiValidateForm)
	s.handle("POST /iati/validate", tcmis.PermViewInternal, s.iatiValidate)
	s.handle("GET /iati/export.xml", tcmis.PermViewInternal, s.iatiExport)

	// Administration: users, units and offices, exchange rates (admin*.go).
	s.handle("GET /admin", tcmis.PermAdmin, s.adminHome)
	s.handle("GET /admin/roles", tcmis.PermAdmin, s.adminRoles)
	s.handle("GET /admin/users", tcmis.PermAdmin, s.adminUsers)
	s.handle("GET /admin/users/new", tcmis.PermAdmin, s.adminUserNew)
	s.handle("POST /admin/users/new", tcmis.PermAdmin, s.adminUserCreate)
	s.handle("GET /admin/users/{id}/edit", tcmis.PermAdmin, s.adminUserEdit)
	s.handle("POST /admin/users/{id}/edit", tcmis.PermAdmin, s.adminUserUpdate)
	s.handle("POST /admin/users/{id}/password", tcmis.PermAdmin, s.adminUserPassword)
	s.handle("POST /admin/users/{id}/tokens", tcmis.PermAdmin, s.adminTokenCreate)
	s.handle("POST /admin/tokens/{id}/delete", tcmis.PermAdmin, s.adminTokenDelete)
	s.handle("GET /admin/units", tcmis.PermAdmin, s.adminUnits)
	s.handle("GET /admin/units/new", tcmis.PermAdmin, s.adminUnitNew)
	s.handle("POST /admin/units/new", tcmis.PermAdmin, s.adminUnitCreate)
	s.handle("GET /admin/units/{id}/edit", tcmis.PermAdmin, s.adminUnitEdit)
	s.handle("POST /admin/units/{id}/edit", tcmis.PermAdmin, s.adminUnitUpdate)
	s.handle("GET /admin/rates", tcmis.PermAdmin, s.adminRates)
	s.handle("POST /admin/rates", tcmis.PermAdmin, s.adminRateCreate)
}

// handlerFunc is a screen or action. It returns an error to have the
// error page rendered with the error's status; a form with invalid input
// renders itself again instead.
type handlerFunc func(w http.ResponseWriter, r *http.Request, u *tcmis.User) error

// handle adds a route: it sends a visitor who is not signed in to the
// sign-in page (or to the first-run page of a new database), refuses a
// user without the permission, and renders the error a handler returns.
func (s *Server) handle(pattern string, perm tcmis.Permission, h handlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern, Perm: perm})
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		u := s.user(r)
		if perm != public {
			if u == nil {
				s.toSignIn(w, r)
				return
			}
			if !u.Can(perm) {
				s.fail(w, r, u, u.Forbid("open this page"))
				return
			}
		}
		if err := h(w, r, u); err != nil {
			s.fail(w, r, u, err)
		}
	})
}
