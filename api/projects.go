package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/httpx"
)

// Projects: a donor viewer reads only the projects its donor funds (the
// others are not found); a programme officer writes only the projects of
// the units and offices in their scope.

func (h *Handler) projects() *resource[tcmis.Project] {
	return &resource[tcmis.Project]{
		name: "project",
		ids:  func(v *tcmis.Project) (*int64, *int) { return &v.ID, &v.Version },
		filters: []Param{
			{"code", "string", "exact project code"},
			{"status", "string", "status in the project cycle (proposal, appraisal, approved, ongoing, ...)"},
			{"source", "string", "source of funds: xbtc, rbtc, rb or other"},
			{"donor", "integer", "id of a donor funding the project"},
			{"category", "string", "donor category"},
			{"objective", "string", "strategic objective (so1 ... so4, integration, other)"},
			{"country", "string", "ISO 3166 country code"},
			{"region", "string", "region"},
			{"unit", "integer", "id of the lead unit or office"},
			{"scope", "string", "national, regional, interregional or global"},
			{"iati_identifier", "string", "IATI activity identifier"},
			{"q", "string", "words in the code, title or description"},
			{"sort", "string", "code (default), title, start or end; a leading - reverses"},
		},
		find: func(q *query, u *tcmis.User, pg paging) func(context.Context) ([]*tcmis.Project, int, error) {
			f := tcmis.ProjectFilter{
				Code: q.text("code"), Status: parsed(q, "status", tcmis.ParseStatus),
				Source: parsed(q, "source", tcmis.ParseSource), DonorID: q.id("donor"),
				Category: parsed(q, "category", tcmis.ParseDonorCategory), Objective: parsed(q, "objective", tcmis.ParseObjective),
				Region: parsed(q, "region", tcmis.ParseRegion), UnitID: q.id("unit"),
				Scope: parsed(q, "scope", tcmis.ParseScope), IATIID: q.text("iati_identifier"),
				Search: q.get("q"), Offset: pg.Offset, Limit: pg.Limit,
			}
			if c := q.text("country"); c != nil {
				up := strings.ToUpper(*c)
				f.Country = &up
			}
			switch s := q.get("sort"); strings.TrimPrefix(s, "-") {
			case "", "code", "title", "start", "end":
				f.Sort = s
			default:
				q.bad("sort", "projects sort by code, title, start or end, not %q", s)
			}
			if u.Role == tcmis.RoleDonorViewer {
				// Whatever donor was asked for, a donor viewer sees only
				// its own donor's projects.
				f.DonorID = &u.DonorID
			}
			return func(ctx context.Context) ([]*tcmis.Project, int, error) { return h.store.FindProjects(ctx, f) }
		},
		get:     h.store.FindProjectByID,
		create:  h.store.CreateProject,
		update:  h.store.UpdateProject,
		remove:  h.store.DeleteProject,
		visible: func(u *tcmis.User, p *tcmis.Project) bool { return u.CanSeeProject(p) },
		editable: func(ctx context.Context, u *tcmis.User, p *tcmis.Project) error {
			if !u.CanEditProject(p) {
				return u.Forbid("edit project " + p.Code + " (its lead unit or office is not in their scope)")
			}
			return nil
		},
		prepare: func(p *tcmis.Project) error {
			switch p.Status {
			case "":
				p.Status = tcmis.Proposal
			case tcmis.Proposal:
			default:
				return &tcmis.Error{Code: tcmis.EINVALID, Message: "project " + p.Code + " is not valid", Problems: []tcmis.Problem{{
					Field: "status", Message: "a new project starts as a proposal; move it through the cycle with POST /api/v1/projects/{id}/status"}}}
			}
			return nil
		},
	}
}

// projectFinance is GET /projects/{id}/finance: the project's money by
// year with the delivery rate of each.
func (h *Handler) projectFinance(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := h.projects().load(r, u)
	if err != nil {
		return err
	}
	ys, err := h.store.ProjectFinance(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if ys == nil {
		ys = []tcmis.YearFinance{}
	}
	writeJSON(w, http.StatusOK, ys)
	return nil
}

// projectHistory is GET /projects/{id}/history: the audit trail of the
// project record, newest first.
func (h *Handler) projectHistory(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := h.projects().load(r, u)
	if err != nil {
		return err
	}
	q := newQuery(r, nil)
	pg := q.paging()
	if err := q.err(); err != nil {
		return err
	}
	entity := "project"
	cs, total, err := h.store.FindChanges(r.Context(), tcmis.ChangeFilter{Entity: &entity, RecordID: &p.ID, Offset: pg.Offset, Limit: pg.Limit})
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*tcmis.Change{}
	}
	writeJSON(w, http.StatusOK, Page[tcmis.Change]{Items: cs, Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

// StatusRequest asks to move a project through the cycle.
type StatusRequest struct {
	// To is the new status.
	To tcmis.Status `json:"to"`
	// Date is the day the change takes effect (default: today).
	Date time.Time `json:"date,omitzero"`
	// Reason explains a cancellation, a proposal sent back, a project
	// reopened.
	Reason string `json:"reason,omitempty"`
	// Independent is the type of independent evaluation an approval
	// plans: internal-independent or external-independent (default).
	Independent tcmis.EvaluationType `json:"independent,omitempty"`
}

// projectStatus is POST /projects/{id}/status. The domain checks the
// move and the user's role; If-Match, when sent, must be the project's
// version.
func (h *Handler) projectStatus(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	p, err := h.projects().load(r, u)
	if err != nil {
		return err
	}
	if !u.CanEditProject(p) {
		return u.Forbid("move project " + p.Code + " through the cycle (its lead unit or office is not in their scope)")
	}
	want, sent, err := httpx.IfMatch(r)
	if err != nil {
		return err
	}
	if sent && want != p.Version {
		return stale("project", p.Version, want)
	}
	var req StatusRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	res, err := h.store.ChangeProjectStatus(r.Context(), tcmis.StatusChange{
		ProjectID: p.ID, Version: want, To: req.To, Date: req.Date, Reason: req.Reason, By: *u, Independent: req.Independent,
	})
	if err != nil {
		return err
	}
	if res.Project != nil {
		w.Header().Set("ETag", httpx.ETag(res.Project.Version))
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
