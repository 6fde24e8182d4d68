package api_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

// entity is one kind of record as the tests make it: a valid new record
// (different for each n), a way to store it directly, a valid change and
// a change that makes it invalid, naming the field the API must name.
type entity struct {
	path string
	// audit is the record's name in the audit trail ("" for records the
	// trail does not follow).
	audit string
	new   func(a *app, n int) any
	// zero is an empty record to decode into.
	zero func() any
	// store stores a record made by new and returns its id and version.
	store   func(a *app, v any) (int64, int)
	mutate  func(v any)
	invalid func(v any) string
	// money is the JSON path of an integer amount, to send a fraction.
	money []string
}

func mk[T any](path, audit string, new func(a *app, n int) *T, store func(a *app, v *T) error,
	ids func(*T) (int64, int), mutate func(*T), invalid func(*T) string, money ...string) entity {
	return entity{
		path: path, audit: audit, money: money,
		new:  func(a *app, n int) any { return new(a, n) },
		zero: func() any { var z T; return &z },
		store: func(a *app, v any) (int64, int) {
			a.t.Helper()
			t := v.(*T)
			if err := store(a, t); err != nil {
				a.t.Fatalf("fixture %s: %v", path, err)
			}
			return ids(t)
		},
		mutate:  func(v any) { mutate(v.(*T)) },
		invalid: func(v any) string { return invalid(v.(*T)) },
	}
}

// fresh stores a new record of e and returns its id, version and the
// record as stored, ready to be sent back with PUT.
func (e entity) fresh(a *app, n int) (int64, int, any) {
	a.t.Helper()
	v := e.new(a, n)
	id, ver := e.store(a, v)
	return id, ver, v
}

// first returns the first record a store list gives, or fails:
// first(a.DB.FindUnits(ctx, f))(a).
func first[T any](items []*T, _ int, err error) func(a *app) *T {
	return func(a *app) *T {
		a.t.Helper()
		if err != nil || len(items) == 0 {
			a.t.Fatalf("the demo has no %T: %v", items, err)
		}
		// A copy, so that tests change their own.
		b, _ := json.Marshal(items[0])
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			a.t.Fatal(err)
		}
		return &v
	}
}

// entities are the records with the five routes list, create, read,
// update and delete, by path.
func entities() map[string]entity {
	return map[string]entity{
		"organisations": mk("/api/v1/organisations", "organisation",
			func(a *app, n int) *tcmis.Organisation {
				o := first(a.DB.FindOrganisations(a.ctx, tcmis.OrganisationFilter{Limit: 1}))(a)
				o.ID, o.Version, o.Name, o.Ref = 0, 0, fmt.Sprintf("Test donor %d", n), ""
				return o
			},
			func(a *app, o *tcmis.Organisation) error { return a.DB.CreateOrganisation(a.ctx, o) },
			func(o *tcmis.Organisation) (int64, int) { return o.ID, o.Version },
			func(o *tcmis.Organisation) { o.Name += " (renamed)" },
			func(o *tcmis.Organisation) string { o.Name = " "; return "name" }),
		"units": mk("/api/v1/units", "unit",
			func(a *app, n int) *tcmis.Unit {
				u := first(a.DB.FindUnits(a.ctx, tcmis.UnitFilter{Limit: 1}))(a)
				u.ID, u.Version, u.Code, u.ParentID = 0, 0, fmt.Sprintf("TEST-%d", n), 0
				return u
			},
			func(a *app, u *tcmis.Unit) error { return a.DB.CreateUnit(a.ctx, u) },
			func(u *tcmis.Unit) (int64, int) { return u.ID, u.Version },
			func(u *tcmis.Unit) { u.Name += " (renamed)" },
			func(u *tcmis.Unit) string { u.Kind = "castle"; return "kind" }),
		"agreements": mk("/api/v1/agreements", "agreement",
			func(a *app, n int) *tcmis.Agreement {
				g := first(a.DB.FindAgreements(a.ctx, tcmis.AgreementFilter{Limit: 1}))(a)
				g.ID, g.Version, g.Ref = 0, 0, fmt.Sprintf("TEST/AGR/%d", n)
				return g
			},
			func(a *app, g *tcmis.Agreement) error { return a.DB.CreateAgreement(a.ctx, g) },
			func(g *tcmis.Agreement) (int64, int) { return g.ID, g.Version },
			func(g *tcmis.Agreement) { g.Title += " (amended)" },
			func(g *tcmis.Agreement) string { g.End = g.Start.AddDate(0, 0, -1); return "end" },
			"amount", "amount"),
		"projects": mk("/api/v1/projects", "project",
			func(a *app, n int) *tcmis.Project {
				p := first(a.DB.FindProjects(a.ctx, tcmis.ProjectFilter{Limit: 1}))(a)
				p.ID, p.Version, p.Code, p.Status, p.IATIID = 0, 0, fmt.Sprintf("TEST/%d/PRJ", n), tcmis.Proposal, ""
				return p
			},
			func(a *app, p *tcmis.Project) error { return a.DB.CreateProject(a.ctx, p) },
			func(p *tcmis.Project) (int64, int) { return p.ID, p.Version },
			func(p *tcmis.Project) { p.Title += " (revised)" },
			func(p *tcmis.Project) string { p.Title = ""; return "title" }),
		"approvals": mk("/api/v1/approvals", "approval",
			func(a *app, n int) *tcmis.Approval {
				ap := first(a.DB.FindApprovals(a.ctx, tcmis.MoneyFilter{Limit: 1}))(a)
				ap.ID, ap.Version, ap.Amount.Amount = 0, 0, int64(100000+n)
				return ap
			},
			func(a *app, ap *tcmis.Approval) error { return a.DB.CreateApprovals(a.ctx, []*tcmis.Approval{ap}) },
			func(ap *tcmis.Approval) (int64, int) { return ap.ID, ap.Version },
			func(ap *tcmis.Approval) { ap.Amount.Amount += 5000 },
			func(ap *tcmis.Approval) string { ap.Amount.Amount, ap.Reason = -100, ""; return "amount" },
			"amount", "amount"),
		"allocations": mk("/api/v1/allocations", "allocation",
			func(a *app, n int) *tcmis.Allocation {
				return &tcmis.Allocation{ProjectID: a.firstProject().ID, Year: 2000 + n%100,
					Amount: tcmis.Converted{Money: tcmis.Money{Amount: int64(250000 + n), Currency: tcmis.USD}}}
			},
			func(a *app, al *tcmis.Allocation) error {
				return a.DB.CreateAllocations(a.ctx, []*tcmis.Allocation{al})
			},
			func(al *tcmis.Allocation) (int64, int) { return al.ID, al.Version },
			func(al *tcmis.Allocation) { al.Amount.Amount += 100 },
			func(al *tcmis.Allocation) string { al.Year = 1066; return "year" },
			"amount", "amount"),
		"expenditures": mk("/api/v1/expenditures", "expenditure",
			func(a *app, n int) *tcmis.Expenditure {
				return &tcmis.Expenditure{ProjectID: a.firstProject().ID, Year: 2000 + n/12%100, Month: 1 + n%12, Type: tcmis.Assistance("training"),
					Amount: tcmis.Converted{Money: tcmis.Money{Amount: int64(12345 + n), Currency: tcmis.USD}}}
			},
			func(a *app, e *tcmis.Expenditure) error {
				return a.DB.CreateExpenditures(a.ctx, []*tcmis.Expenditure{e})
			},
			func(e *tcmis.Expenditure) (int64, int) { return e.ID, e.Version },
			func(e *tcmis.Expenditure) { e.Amount.Amount += 100 },
			func(e *tcmis.Expenditure) string { e.Month = 13; return "month" },
			"amount", "amount"),
		"outcomes": mk("/api/v1/outcomes", "outcome",
			func(a *app, n int) *tcmis.Outcome {
				o := first(a.DB.FindOutcomes(a.ctx, tcmis.ResultFilter{Limit: 1}))(a)
				o.ID, o.Version, o.Code = 0, 0, fmt.Sprintf("T.%d", n)
				return o
			},
			func(a *app, o *tcmis.Outcome) error { return a.DB.CreateOutcome(a.ctx, o) },
			func(o *tcmis.Outcome) (int64, int) { return o.ID, o.Version },
			func(o *tcmis.Outcome) { o.Title += " (revised)" },
			func(o *tcmis.Outcome) string { o.Biennium = "2004-09"; return "biennium" }),
		"indicators": mk("/api/v1/indicators", "indicator", newIndicator,
			func(a *app, i *tcmis.Indicator) error { return a.DB.CreateIndicator(a.ctx, i) },
			func(i *tcmis.Indicator) (int64, int) { return i.ID, i.Version },
			func(i *tcmis.Indicator) { i.Title += " (revised)" },
			func(i *tcmis.Indicator) string { i.Unit = ""; return "unit" }),
		"targets": mk("/api/v1/targets", "target",
			func(a *app, n int) *tcmis.Target {
				// A target of its own indicator: one target per
				// indicator and biennium.
				i := newIndicator(a, 1_000_000+n)
				if err := a.DB.CreateIndicator(a.ctx, i); err != nil {
					a.t.Fatal(err)
				}
				v, _ := tcmis.ParseDecimal("42.5")
				return &tcmis.Target{IndicatorID: i.ID, Biennium: "2004-05", Value: v, Note: "test"}
			},
			func(a *app, t *tcmis.Target) error { return a.DB.CreateTarget(a.ctx, t) },
			func(t *tcmis.Target) (int64, int) { return t.ID, t.Version },
			func(t *tcmis.Target) { t.Note = "revised" },
			func(t *tcmis.Target) string { t.Biennium = "someday"; return "biennium" }),
		"results": mk("/api/v1/results", "result",
			func(a *app, n int) *tcmis.Result {
				r := first(a.DB.FindResults(a.ctx, tcmis.ResultFilter{Limit: 1}))(a)
				r.ID, r.Version, r.Evidence = 0, 0, fmt.Sprintf("test evidence %d", n)
				return r
			},
			func(a *app, r *tcmis.Result) error { return a.DB.CreateResult(a.ctx, r) },
			func(r *tcmis.Result) (int64, int) { return r.ID, r.Version },
			func(r *tcmis.Result) { r.Evidence += " (checked)" },
			func(r *tcmis.Result) string { r.Evidence = ""; return "evidence" }),
		"programmes": mk("/api/v1/programmes", "programme",
			func(a *app, n int) *tcmis.CountryProgramme {
				c := first(a.DB.FindProgrammes(a.ctx, tcmis.ProgrammeFilter{Limit: 1}))(a)
				c.ID, c.Version, c.Title = 0, 0, fmt.Sprintf("Test programme %d", n)
				for i := range c.Priorities {
					for j := range c.Priorities[i].Outcomes {
						c.Priorities[i].Outcomes[j].Code = fmt.Sprintf("T%d-%d-%d", n, i, j)
					}
				}
				return c
			},
			func(a *app, c *tcmis.CountryProgramme) error { return a.DB.CreateProgramme(a.ctx, c) },
			func(c *tcmis.CountryProgramme) (int64, int) { return c.ID, c.Version },
			func(c *tcmis.CountryProgramme) { c.Title += " (revised)" },
			func(c *tcmis.CountryProgramme) string { c.Country = "ZZ"; return "country" }),
		"evaluations": mk("/api/v1/evaluations", "evaluation",
			func(a *app, n int) *tcmis.Evaluation {
				return &tcmis.Evaluation{Title: fmt.Sprintf("Test evaluation %d", n), Subject: tcmis.SubjectProject,
					ProjectID: a.firstProject().ID, Type: tcmis.SelfEvaluation, Timing: tcmis.Final,
					Planned: day("2006-06-30"), Status: tcmis.EvaluationPlanned}
			},
			func(a *app, e *tcmis.Evaluation) error { return a.DB.CreateEvaluation(a.ctx, e) },
			func(e *tcmis.Evaluation) (int64, int) { return e.ID, e.Version },
			func(e *tcmis.Evaluation) { e.Title += " (revised)" },
			func(e *tcmis.Evaluation) string { e.Ratings.Impact = 9; return "ratings.impact" },
			"budget_usd"),
		"lessons": mk("/api/v1/lessons", "lesson",
			func(a *app, n int) *tcmis.Lesson {
				e := first(a.DB.FindEvaluations(a.ctx, tcmis.EvaluationFilter{Limit: 1}))(a)
				return &tcmis.Lesson{EvaluationID: e.ID, Kind: tcmis.LessonLearned, Title: fmt.Sprintf("Test lesson %d", n),
					Text: "Involve the social partners from the design onwards."}
			},
			func(a *app, l *tcmis.Lesson) error { return a.DB.CreateLesson(a.ctx, l) },
			func(l *tcmis.Lesson) (int64, int) { return l.ID, l.Version },
			func(l *tcmis.Lesson) { l.Title += " (revised)" },
			func(l *tcmis.Lesson) string { l.Text = " "; return "text" }),
		"training": mk("/api/v1/training", "training",
			func(a *app, n int) *tcmis.TrainingActivity {
				return &tcmis.TrainingActivity{Year: 2005, Kind: tcmis.TrainingKind("workshop"), Title: fmt.Sprintf("Test workshop %d", n),
					Participants: tcmis.Participants{Employers: 5, Workers: 6, Governments: 7, Women: 9}}
			},
			func(a *app, t *tcmis.TrainingActivity) error {
				return a.DB.CreateTraining(a.ctx, []*tcmis.TrainingActivity{t})
			},
			func(t *tcmis.TrainingActivity) (int64, int) { return t.ID, t.Version },
			func(t *tcmis.TrainingActivity) { t.Title += " (revised)" },
			func(t *tcmis.TrainingActivity) string { t.Participants.Women = 100; return "participants.women" }),
		"users": mk("/api/v1/users", "user",
			func(a *app, n int) *tcmis.User {
				return &tcmis.User{Email: fmt.Sprintf("new%d@example.org", n), Name: fmt.Sprintf("New user %d", n), Role: tcmis.RoleViewer}
			},
			func(a *app, u *tcmis.User) error { return a.DB.CreateUser(a.ctx, u) },
			func(u *tcmis.User) (int64, int) { return u.ID, u.Version },
			func(u *tcmis.User) { u.Name += " (renamed)" },
			func(u *tcmis.User) string { u.Email = "not an address"; return "email" }),
	}
}

func newIndicator(a *app, n int) *tcmis.Indicator {
	i := first(a.DB.FindIndicators(a.ctx, tcmis.ResultFilter{Limit: 1}))(a)
	i.ID, i.Version, i.Code = 0, 0, fmt.Sprintf("TI.%d", n)
	return i
}

// newRate is a valid exchange rate, different for each n.
func newRate(n int) *tcmis.ExchangeRate {
	v, _ := tcmis.ParseDecimal("0.8123")
	return &tcmis.ExchangeRate{Currency: "EUR", Date: day("1990-01-01").Add(time.Duration(n) * 24 * time.Hour), PerUSD: v, Source: "test"}
}

// TestFixtures checks that every fixture makes a valid record, so that
// the other tests fail for the API's reasons, not the fixtures'.
func TestFixtures(t *testing.T) {
	a := newApp(t)
	for name, e := range entities() {
		t.Run(name, func(t *testing.T) {
			a.t = t
			id, ver, _ := e.fresh(a, 1)
			if id == 0 || ver == 0 {
				t.Errorf("fixture stored with id %d version %d", id, ver)
			}
		})
	}
}
