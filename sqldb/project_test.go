package sqldb_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
	"github.com/tcmis/tcmis/sqldb/sqldbtest"
)

// projectWorld is the units, donors and agreement the project tests refer
// to.
type projectWorld struct {
	emp, socpro, bangkok, jakarta, dakar *tcmis.Unit
	usa, nld, eu, fdn                    *tcmis.Organisation
	agreement                            *tcmis.Agreement
}

func newProjectWorld(t testing.TB, db *sqldb.DB) *projectWorld {
	t.Helper()
	ctx := ctxAs("setup")
	w := &projectWorld{
		emp:     &tcmis.Unit{Code: "EMP", Name: "Employment Sector", Kind: tcmis.Department},
		socpro:  &tcmis.Unit{Code: "SOCPRO", Name: "Social Protection Sector", Kind: tcmis.Department},
		bangkok: &tcmis.Unit{Code: "RO-Bangkok", Name: "Regional Office for Asia and the Pacific", Kind: tcmis.RegionalOffice, Region: tcmis.AsiaPacific, Country: "TH"},
		dakar:   &tcmis.Unit{Code: "CO-Dakar", Name: "Country Office for Senegal", Kind: tcmis.FieldOffice, Region: tcmis.Africa, Country: "SN"},
		usa:     &tcmis.Organisation{Name: "United States", Category: tcmis.MultiBilateral, Country: "US"},
		nld:     &tcmis.Organisation{Name: "Netherlands", Category: tcmis.MultiBilateral, Country: "NL"},
		eu:      &tcmis.Organisation{Name: "European Commission", Category: tcmis.EuropeanUnion},
		fdn:     &tcmis.Organisation{Name: "A Foundation", Category: tcmis.NonState, NonState: "foundation"},
	}
	for _, u := range []*tcmis.Unit{w.emp, w.socpro, w.bangkok, w.dakar} {
		if err := db.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	w.jakarta = &tcmis.Unit{Code: "CO-Jakarta", Name: "Country Office for Indonesia", Kind: tcmis.FieldOffice, ParentID: w.bangkok.ID, Region: tcmis.AsiaPacific, Country: "ID"}
	if err := db.CreateUnit(ctx, w.jakarta); err != nil {
		t.Fatal(err)
	}
	for _, o := range []*tcmis.Organisation{w.usa, w.nld, w.eu, w.fdn} {
		if err := db.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	w.agreement = &tcmis.Agreement{Ref: "NL-2005-01", Title: "Partnership 2005-2008", DonorID: w.nld.ID, Kind: tcmis.Partnership,
		Start: date(2005, 1, 1), End: date(2008, 12, 31), Amount: tcmis.Money{Amount: 5_000_000_00, Currency: "USD"}, NegotiatedBy: w.emp.ID}
	if err := db.CreateAgreement(ctx, w.agreement); err != nil {
		t.Fatal(err)
	}
	return w
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fullProject has every field and every list filled in; its lists are in
// an order that neither their keys nor their values would give.
func (w *projectWorld) fullProject(code string) *tcmis.Project {
	return &tcmis.Project{
		Code:        code,
		Title:       "Youth employment and skills",
		Description: "Decent work for young women and men in Indonesia and Senegal.",
		Source:      tcmis.XBTC,
		DonorIDs:    []int64{w.nld.ID, w.usa.ID},
		AgreementID: w.agreement.ID,
		LeadUnitID:  w.emp.ID,
		OfficeID:    w.jakarta.ID,
		Scope:       tcmis.Interregional,
		Countries:   []tcmis.CountryShare{{Country: "SN", Percent: 3000}, {Country: "ID", Percent: 4000}},
		Regions:     []tcmis.RegionShare{{Code: "298", Percent: 3000}},
		Objectives: []tcmis.ObjectiveShare{
			{Objective: tcmis.Employment, Outcome: "2b", Percent: 6667},
			{Objective: tcmis.Employment, Outcome: "2a", Percent: 3333},
		},
		Sectors:         []tcmis.SectorShare{{Code: "16020", Percent: 7500}, {Code: "11330", Percent: 2500}},
		CountryOutcomes: []string{"SEN102", "IDN101"},
		Start:           date(2005, 1, 1),
		End:             date(2007, 12, 31),
		Status:          tcmis.Ongoing,
		Currency:        "EUR",
		Budget: []tcmis.BudgetLine{
			{Type: tcmis.Training, Amount: 250_000_00},
			{Type: tcmis.InternationalExperts, Amount: 1_200_000_00},
			{Type: tcmis.Miscellaneous, Amount: 15_050},
		},
		Gender:      tcmis.Significant,
		Tripartite:  tcmis.Tripartite{Design: tcmis.AllConstituents, Implementation: tcmis.Governments | tcmis.Workers, Monitoring: tcmis.Employers},
		Crisis:      true,
		Conventions: []int{182, 138},
		IATIID:      "XM-DAC-41302-" + strings.ReplaceAll(code, "/", "-"),
	}
}

// normProject returns a copy of p with its times in UTC, for comparing
// what was saved with what was read back.
func normProject(p *tcmis.Project) tcmis.Project {
	c := *p
	c.Start, c.End, c.UpdatedAt = c.Start.UTC(), c.End.UTC(), c.UpdatedAt.UTC()
	return c
}

func sameProject(t *testing.T, what string, got, want *tcmis.Project) {
	t.Helper()
	if g, w := normProject(got), normProject(want); !reflect.DeepEqual(g, w) {
		gj, _ := json.MarshalIndent(g, "", " ")
		wj, _ := json.MarshalIndent(w, "", " ")
		t.Fatalf("%s:\ngot  %s\nwant %s", what, gj, wj)
	}
}

func problemFields(err error) []string {
	var fields []string
	for _, p := range tcmis.ErrorProblems(err) {
		fields = append(fields, p.Field)
	}
	return fields
}

func hasFields(t *testing.T, err error, want ...string) {
	t.Helper()
	got := map[string]bool{}
	for _, f := range problemFields(err) {
		got[f] = true
	}
	for _, f := range want {
		if !got[f] {
			t.Errorf("no problem with %s in %v", f, err)
		}
	}
}

func countProjects(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	_, n, err := db.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// auditTrail returns the audit entries of one record, or with id 0 of
// every record of the entity, newest first.
func auditTrail(t *testing.T, db *sqldb.DB, entity string, id int64) []*tcmis.Change {
	t.Helper()
	f := tcmis.ChangeFilter{Entity: &entity}
	if id != 0 {
		f.RecordID = &id
	}
	changes, _, err := db.FindChanges(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return changes
}

// mustCreateProject stores a new project in a fresh world.
func mustCreateProject(t *testing.T, db *sqldb.DB, code string) (*projectWorld, *tcmis.Project) {
	t.Helper()
	w := newProjectWorld(t, db)
	p := w.fullProject(code)
	if err := db.CreateProject(ctxAs("alice"), p); err != nil {
		t.Fatal(err)
	}
	return w, p
}

func TestProjectCreateAndFind(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		w, p := mustCreateProject(t, db, "INT/05/51/NET")
		if p.ID == 0 || p.Version != 1 || !p.UpdatedAt.Equal(db.Now()) {
			t.Fatalf("created project has id %d, version %d, updated at %v", p.ID, p.Version, p.UpdatedAt)
		}
		got, err := db.FindProjectByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameProject(t, "by id", got, p)
		got, err = db.FindProjectByCode(ctx, "INT/05/51/NET")
		if err != nil {
			t.Fatal(err)
		}
		sameProject(t, "by code", got, p)
		list, total, err := db.FindProjects(ctx, tcmis.ProjectFilter{})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("find all: %d of %d, %v", len(list), total, err)
		}
		sameProject(t, "in a list", list[0], p)

		// A project with no lists reads back with none.
		bare := &tcmis.Project{Code: "RB/05/01", Title: "Bare", Source: tcmis.RegularBudget, LeadUnitID: w.socpro.ID,
			Scope: tcmis.Global, Start: date(2005, 1, 1), End: date(2005, 12, 31), Status: tcmis.Proposal, Currency: "USD"}
		if err := db.CreateProject(ctx, bare); err != nil {
			t.Fatal(err)
		}
		got, err = db.FindProjectByID(ctx, bare.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameProject(t, "bare project", got, bare)

		_, err = db.FindProjectByID(ctx, p.ID+1000)
		mustCode(t, err, tcmis.ENOTFOUND)
		_, err = db.FindProjectByCode(ctx, "NOPE")
		mustCode(t, err, tcmis.ENOTFOUND)

		// The audit trail holds the creation with the new values.
		changes := auditTrail(t, db, "project", p.ID)
		if len(changes) != 1 || changes[0].Action != tcmis.ActionCreate || changes[0].Actor != "alice" || len(changes[0].Old) != 0 {
			t.Fatalf("changes = %+v", changes)
		}
		var logged tcmis.Project
		if err := json.Unmarshal(changes[0].New, &logged); err != nil {
			t.Fatal(err)
		}
		sameProject(t, "audited creation", &logged, p)
	})
}

func TestProjectUpdate(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		w, p := mustCreateProject(t, db, "INT/05/51/NET")
		before, _ := db.FindProjectByID(ctx, p.ID)

		// Both engines keep microseconds.
		later := time.Date(2005, 9, 1, 8, 30, 15, 123456789, time.UTC)
		db.Now = func() time.Time { return later }
		edit, _ := db.FindProjectByID(ctx, p.ID)
		edit.Code = "RAF/05/51/EEC"
		edit.Title = "Youth employment in West Africa"
		edit.Description = ""
		edit.DonorIDs = []int64{w.eu.ID}
		edit.AgreementID = 0
		edit.LeadUnitID = w.socpro.ID
		edit.OfficeID = w.dakar.ID
		edit.Scope = tcmis.Regional
		edit.Countries = []tcmis.CountryShare{{Country: "ML", Percent: 5000}, {Country: "SN", Percent: 5000}}
		edit.Regions = nil
		edit.Objectives = []tcmis.ObjectiveShare{{Objective: tcmis.SocialProtection, Percent: tcmis.Whole}}
		edit.Sectors = nil
		edit.CountryOutcomes = []string{"SEN103"}
		edit.Budget = []tcmis.BudgetLine{{Type: tcmis.Equipment, Amount: 1}}
		edit.Conventions = nil
		edit.Start, edit.End = date(2005, 2, 1), date(2006, 1, 31)
		edit.Gender, edit.Tripartite, edit.Crisis = tcmis.Principal, tcmis.Tripartite{Evaluation: tcmis.Workers}, false
		edit.IATIID = ""
		if err := db.UpdateProject(ctx, edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 2 || !edit.UpdatedAt.Equal(later.Truncate(time.Microsecond)) {
			t.Fatalf("after update: version %d, updated at %v", edit.Version, edit.UpdatedAt)
		}
		got, err := db.FindProjectByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameProject(t, "after update", got, edit)

		// The audit entry has the old and the new values.
		changes := auditTrail(t, db, "project", p.ID)
		if len(changes) != 2 || changes[0].Action != tcmis.ActionUpdate {
			t.Fatalf("changes = %+v", changes)
		}
		var old, new tcmis.Project
		if err := json.Unmarshal(changes[0].Old, &old); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(changes[0].New, &new); err != nil {
			t.Fatal(err)
		}
		sameProject(t, "audited old value", &old, before)
		sameProject(t, "audited new value", &new, edit)

		// An update of a project that is gone is refused as not found.
		gone := *got
		gone.ID += 1000
		mustCode(t, db.UpdateProject(ctx, &gone), tcmis.ENOTFOUND)
	})
}

func TestProjectConflict(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w, p := mustCreateProject(t, db, "INT/05/51/NET")
		a, _ := db.FindProjectByID(ctxAs("alice"), p.ID)
		b, _ := db.FindProjectByID(ctxAs("bob"), p.ID)
		a.Title = "Alice's title"
		a.Conventions = []int{87}
		if err := db.UpdateProject(ctxAs("alice"), a); err != nil {
			t.Fatal(err)
		}
		b.Title = "Bob's title"
		b.DonorIDs = []int64{w.usa.ID}
		err := db.UpdateProject(ctxAs("bob"), b)
		mustCode(t, err, tcmis.ECONFLICT)
		got, err := db.FindProjectByID(ctxAs("alice"), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameProject(t, "after the refused save", got, a)
		if got.Version != 2 {
			t.Fatalf("version = %d, want 2", got.Version)
		}
		if n := len(auditTrail(t, db, "project", p.ID)); n != 2 {
			t.Fatalf("%d audit entries, want 2 (create, alice's update)", n)
		}
	})
}

func TestProjectInvalid(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		w := newProjectWorld(t, db)

		// Every problem of the record is listed.
		bad := w.fullProject("")
		bad.Title = " "
		bad.Status = "dormant"
		bad.Countries[0].Percent = 2000
		bad.Sectors = append(bad.Sectors, tcmis.SectorShare{Code: "16020", Percent: 1})
		bad.CountryOutcomes = append(bad.CountryOutcomes, "IDN101")
		err := db.CreateProject(ctx, bad)
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "code", "title", "status", "countries", "sectors[2]", "country_outcomes[2]")

		// References to records that do not exist are named by field,
		// together with the other problems.
		bad = w.fullProject("INT/05/99/XXX")
		bad.LeadUnitID, bad.OfficeID, bad.AgreementID = 9001, 9002, 9003
		bad.DonorIDs = []int64{w.usa.ID, 9004}
		bad.Currency = "XXY"
		err = db.CreateProject(ctx, bad)
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "lead_unit_id", "office_id", "agreement_id", "donor_ids[1]", "currency")
		if n := len(tcmis.ErrorProblems(err)); n != 5 {
			t.Errorf("%d problems, want 5: %v", n, err)
		}
		if msg := tcmis.ErrorMessage(err); !strings.Contains(msg, "9001") || !strings.Contains(msg, "9004") {
			t.Errorf("message does not name the missing records: %s", msg)
		}
		if n := countProjects(t, db); n != 0 {
			t.Fatalf("%d projects stored after invalid input", n)
		}

		// A code can be used once.
		p := w.fullProject("INT/05/51/NET")
		if err := db.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		err = db.CreateProject(ctx, w.fullProject("INT/05/51/NET"))
		mustCode(t, err, tcmis.ECONFLICT)
		if want := "a project with code INT/05/51/NET already exists"; tcmis.ErrorMessage(err) != want {
			t.Errorf("message %q, want %q", tcmis.ErrorMessage(err), want)
		}
		other := w.fullProject("INT/05/52/NET")
		if err := db.CreateProject(ctx, other); err != nil {
			t.Fatal(err)
		}
		other.Code = p.Code
		mustCode(t, db.UpdateProject(ctx, other), tcmis.ECONFLICT)

		// An invalid update changes nothing.
		stored, _ := db.FindProjectByID(ctx, p.ID)
		edit, _ := db.FindProjectByID(ctx, p.ID)
		edit.Title = "Changed"
		edit.OfficeID = 9002
		edit.DonorIDs = []int64{9004}
		tried := *edit
		err = db.UpdateProject(ctx, edit)
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "office_id", "donor_ids[0]")
		got, _ := db.FindProjectByID(ctx, p.ID)
		sameProject(t, "after the refused update", got, stored)
		// The refused project is left as it was, ready to be corrected.
		sameProject(t, "the refused project", edit, &tried)
		edit.OfficeID, edit.DonorIDs = w.dakar.ID, []int64{w.eu.ID}
		if err := db.UpdateProject(ctx, edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != stored.Version+1 {
			t.Fatalf("version %d after the corrected update, want %d", edit.Version, stored.Version+1)
		}

		// Sorting is limited to known orders.
		_, _, err = db.FindProjects(ctx, tcmis.ProjectFilter{Sort: "title; DROP TABLE projects"})
		mustCode(t, err, tcmis.EINVALID)
	})
}

// rawDB opens a store and a plain connection to the same database, to look
// at the tables themselves.
func rawDB(t *testing.T, engine sqldb.Engine) (*sqldb.DB, *sql.DB) {
	t.Helper()
	dsn, driver := sqldbtest.DSN(t, string(engine)), "sqlite"
	if engine == sqldb.Postgres {
		driver = "pgx"
	}
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2005, 6, 30, 12, 0, 0, 0, time.UTC) }
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

func TestProjectDelete(t *testing.T) {
	for _, engine := range []sqldb.Engine{sqldb.SQLite, sqldb.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := ctxAs("alice")
			db, raw := rawDB(t, engine)
			w := newProjectWorld(t, db)
			keep := w.fullProject("INT/05/01/NET")
			p := w.fullProject("INT/05/51/NET")
			for _, p := range []*tcmis.Project{keep, p} {
				if err := db.CreateProject(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			stored, _ := db.FindProjectByID(ctx, p.ID)
			if err := db.DeleteProject(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			_, err := db.FindProjectByID(ctx, p.ID)
			mustCode(t, err, tcmis.ENOTFOUND)
			mustCode(t, db.DeleteProject(ctx, p.ID), tcmis.ENOTFOUND)

			// Its lists went with it; the other project keeps its own.
			for _, table := range []string{"project_donors", "project_countries", "project_regions", "project_objectives",
				"project_sectors", "project_budget", "project_conventions", "project_country_outcomes"} {
				for id, want := range map[int64]bool{p.ID: false, keep.ID: true} {
					var n int
					if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table + ` WHERE project_id = ` + fmt.Sprint(id)).Scan(&n); err != nil {
						t.Fatal(err)
					}
					if (n > 0) != want {
						t.Errorf("%s has %d rows of project %d", table, n, id)
					}
				}
			}
			got, _ := db.FindProjectByID(ctx, keep.ID)
			sameProject(t, "the project kept", got, keep)

			changes := auditTrail(t, db, "project", p.ID)
			if len(changes) != 2 || changes[0].Action != tcmis.ActionDelete || len(changes[0].New) != 0 {
				t.Fatalf("changes = %+v", changes)
			}
			var old tcmis.Project
			if err := json.Unmarshal(changes[0].Old, &old); err != nil {
				t.Fatal(err)
			}
			sameProject(t, "audited deletion", &old, stored)

			// A project with records of its own stays.
			if _, err := raw.Exec(`INSERT INTO training (year, kind, title, project_id) VALUES (2005, 'workshop', 'Training of trainers', ` + fmt.Sprint(keep.ID) + `)`); err != nil {
				t.Fatal(err)
			}
			err = db.DeleteProject(ctx, keep.ID)
			mustCode(t, err, tcmis.ECONFLICT)
			if !strings.Contains(tcmis.ErrorMessage(err), "1 training activity") {
				t.Errorf("message does not say what refers to the project: %s", tcmis.ErrorMessage(err))
			}

			// A unit, donor or agreement a project refers to stays.
			mustCode(t, db.DeleteUnit(ctx, w.emp.ID), tcmis.ECONFLICT)
			mustCode(t, db.DeleteAgreement(ctx, w.agreement.ID), tcmis.ECONFLICT)
			if err := db.DeleteOrganisation(ctx, w.usa.ID); err == nil {
				t.Fatal("deleted a donor of a project")
			}
		})
	}
}

// filterWorld stores five projects that each filter tells apart.
func filterWorld(t *testing.T, db *sqldb.DB) (*projectWorld, map[string]*tcmis.Project) {
	t.Helper()
	w := newProjectWorld(t, db)
	obj := func(o tcmis.Objective, pc tcmis.Percent) tcmis.ObjectiveShare {
		return tcmis.ObjectiveShare{Objective: o, Percent: pc}
	}
	ps := map[string]*tcmis.Project{
		"A": {Code: "INT/05/01/USA", Title: "Global child labour programme", Description: "Against the worst forms of child labour.",
			Source: tcmis.XBTC, DonorIDs: []int64{w.usa.ID, w.nld.ID}, LeadUnitID: w.emp.ID, Scope: tcmis.Global,
			Objectives: []tcmis.ObjectiveShare{obj(tcmis.Standards, tcmis.Whole)}, Status: tcmis.Ongoing,
			Start: date(2005, 1, 1), End: date(2007, 12, 31), Currency: "USD", IATIID: "XM-1-A"},
		"B": {Code: "IDN/05/02/NET", Title: "Youth employment in Aceh", Description: "Tsunami recovery through jobs (100% local).",
			Source: tcmis.XBTC, DonorIDs: []int64{w.nld.ID}, LeadUnitID: w.emp.ID, OfficeID: w.jakarta.ID, Scope: tcmis.National,
			Countries:  []tcmis.CountryShare{{Country: "ID", Percent: tcmis.Whole}},
			Objectives: []tcmis.ObjectiveShare{obj(tcmis.Employment, tcmis.Whole)}, Status: tcmis.Approved, Crisis: true,
			Start: date(2005, 3, 1), End: date(2006, 2, 28), Currency: "USD"},
		"C": {Code: "RAF/04/03/EEC", Title: "Social security extension in West Africa",
			Source: tcmis.XBTC, DonorIDs: []int64{w.eu.ID}, LeadUnitID: w.socpro.ID, OfficeID: w.dakar.ID, Scope: tcmis.Regional,
			Countries:  []tcmis.CountryShare{{Country: "SN", Percent: 6000}, {Country: "ML", Percent: 4000}},
			Objectives: []tcmis.ObjectiveShare{obj(tcmis.SocialProtection, 7000), obj(tcmis.Employment, 3000)}, Status: tcmis.Ongoing,
			Start: date(2004, 6, 1), End: date(2008, 5, 31), Currency: "EUR"},
		"D": {Code: "RAS/05/04/RBT", Title: "Social dialogue in Asia",
			Source: tcmis.RBTC, LeadUnitID: w.socpro.ID, OfficeID: w.bangkok.ID, Scope: tcmis.Regional,
			Regions:    []tcmis.RegionShare{{Code: "798", Percent: tcmis.Whole}},
			Objectives: []tcmis.ObjectiveShare{obj(tcmis.SocialDialogue, tcmis.Whole)}, Status: tcmis.Proposal,
			Start: date(2005, 7, 1), End: date(2006, 6, 30), Currency: "USD"},
		"E": {Code: "GLO/03/05/FDN", Title: "Skills for youth", Description: "Apprenticeships_and more",
			Source: tcmis.XBTC, DonorIDs: []int64{w.fdn.ID}, LeadUnitID: w.emp.ID, Scope: tcmis.Interregional,
			Countries:  []tcmis.CountryShare{{Country: "ID", Percent: 5000}, {Country: "SN", Percent: 5000}},
			Objectives: []tcmis.ObjectiveShare{obj(tcmis.Standards, 5000), obj(tcmis.Employment, 5000)}, Status: tcmis.FinanciallyClosed,
			Start: date(2003, 1, 1), End: date(2004, 12, 31), Currency: "USD", IATIID: "XM-1-E"},
	}
	for _, k := range []string{"A", "B", "C", "D", "E"} {
		if err := db.CreateProject(ctxAs("setup"), ps[k]); err != nil {
			t.Fatalf("project %s: %v", k, err)
		}
	}
	return w, ps
}

func TestProjectFilter(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		w, ps := filterWorld(t, db)
		status, source, scope := tcmis.Ongoing, tcmis.RBTC, tcmis.Regional
		multi, eu, nonState, un := tcmis.MultiBilateral, tcmis.EuropeanUnion, tcmis.NonState, tcmis.UnitedNations
		so2, so4, so3 := tcmis.Employment, tcmis.SocialDialogue, tcmis.SocialProtection
		sn, id, fr := "SN", "ID", "FR"
		africa, asia, americas := tcmis.Africa, tcmis.AsiaPacific, tcmis.Americas
		codeC, iatiE, idB := ps["C"].Code, "XM-1-E", ps["B"].ID
		tests := []struct {
			name  string
			f     tcmis.ProjectFilter
			want  string // project keys in order
			total int    // when paging, the count without it
		}{
			{"all, by code", tcmis.ProjectFilter{}, "EBACD", 0},
			{"id", tcmis.ProjectFilter{ID: &idB}, "B", 0},
			{"code", tcmis.ProjectFilter{Code: &codeC}, "C", 0},
			{"status", tcmis.ProjectFilter{Status: &status}, "AC", 0},
			{"source", tcmis.ProjectFilter{Source: &source}, "D", 0},
			{"scope", tcmis.ProjectFilter{Scope: &scope}, "CD", 0},
			{"iati id", tcmis.ProjectFilter{IATIID: &iatiE}, "E", 0},
			{"donor", tcmis.ProjectFilter{DonorID: &w.nld.ID}, "BA", 0},
			{"category multi-bilateral", tcmis.ProjectFilter{Category: &multi}, "BA", 0},
			{"category eu", tcmis.ProjectFilter{Category: &eu}, "C", 0},
			{"category non-state", tcmis.ProjectFilter{Category: &nonState}, "E", 0},
			{"category un", tcmis.ProjectFilter{Category: &un}, "", 0},
			{"objective so2", tcmis.ProjectFilter{Objective: &so2}, "EBC", 0},
			{"objective so3", tcmis.ProjectFilter{Objective: &so3}, "C", 0},
			{"objective so4", tcmis.ProjectFilter{Objective: &so4}, "D", 0},
			{"country SN", tcmis.ProjectFilter{Country: &sn}, "EC", 0},
			{"country ID", tcmis.ProjectFilter{Country: &id}, "EB", 0},
			{"country FR", tcmis.ProjectFilter{Country: &fr}, "", 0},
			{"region africa", tcmis.ProjectFilter{Region: &africa}, "EC", 0},
			{"region asia: by office or country", tcmis.ProjectFilter{Region: &asia}, "EBD", 0},
			{"region americas", tcmis.ProjectFilter{Region: &americas}, "", 0},
			{"lead unit", tcmis.ProjectFilter{UnitID: &w.emp.ID}, "EBA", 0},
			{"office", tcmis.ProjectFilter{UnitID: &w.jakarta.ID}, "B", 0},
			{"lead unit or office", tcmis.ProjectFilter{UnitID: &w.socpro.ID}, "CD", 0},
			{"search title, any case", tcmis.ProjectFilter{Search: "YOUTH"}, "EB", 0},
			{"search every word", tcmis.ProjectFilter{Search: "child  Labour"}, "A", 0},
			{"search words in different fields", tcmis.ProjectFilter{Search: "aceh tsunami"}, "B", 0},
			{"search no match for all words", tcmis.ProjectFilter{Search: "child tsunami"}, "", 0},
			{"search code", tcmis.ProjectFilter{Search: "raf/04"}, "C", 0},
			{"search description", tcmis.ProjectFilter{Search: "worst"}, "A", 0},
			{"search percent sign", tcmis.ProjectFilter{Search: "100%"}, "B", 0},
			{"search % is no wildcard", tcmis.ProjectFilter{Search: "%"}, "B", 0},
			{"search _ is no wildcard", tcmis.ProjectFilter{Search: "y_u"}, "", 0},
			{"search underscore", tcmis.ProjectFilter{Search: "ships_and"}, "E", 0},
			{"combined", tcmis.ProjectFilter{Status: &status, Category: &eu}, "C", 0},
			{"combined, no match", tcmis.ProjectFilter{Status: &status, Country: &id}, "", 0},
			{"sort title", tcmis.ProjectFilter{Sort: "title"}, "AEDCB", 0},
			{"sort -title", tcmis.ProjectFilter{Sort: "-title"}, "BCDEA", 0},
			{"sort start", tcmis.ProjectFilter{Sort: "start"}, "ECABD", 0},
			{"sort -start", tcmis.ProjectFilter{Sort: "-start"}, "DBACE", 0},
			{"sort end", tcmis.ProjectFilter{Sort: "end"}, "EBDAC", 0},
			{"sort -code", tcmis.ProjectFilter{Sort: "-code"}, "DCABE", 0},
			{"sort code", tcmis.ProjectFilter{Sort: "code"}, "EBACD", 0},
			{"page", tcmis.ProjectFilter{Offset: 1, Limit: 2}, "BA", 5},
			{"offset only", tcmis.ProjectFilter{Offset: 3}, "CD", 5},
			{"page past the end", tcmis.ProjectFilter{Offset: 10, Limit: 2}, "", 5},
			{"page of a filter", tcmis.ProjectFilter{UnitID: &w.emp.ID, Sort: "-start", Limit: 1}, "B", 3},
		}
		byID := map[int64]string{}
		for k, p := range ps {
			byID[p.ID] = k
		}
		for _, tt := range tests {
			got, total, err := db.FindProjects(ctxAs("reader"), tt.f)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			var keys string
			for _, p := range got {
				keys += byID[p.ID]
			}
			wantTotal := tt.total
			if wantTotal == 0 {
				wantTotal = len(tt.want)
			}
			if keys != tt.want || total != wantTotal {
				t.Errorf("%s: got %q of %d, want %q of %d", tt.name, keys, total, tt.want, wantTotal)
			}
			// Filtered lists carry each project whole.
			for _, p := range got {
				if want := ps[byID[p.ID]]; !reflect.DeepEqual(normProject(p), normProject(want)) {
					t.Errorf("%s: project %s read back as %+v, want %+v", tt.name, byID[p.ID], p, want)
				}
			}
		}
	})
}

func TestCountProjectsByCountry(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("reader")
		mustCount := func(what string, want map[string]int) {
			t.Helper()
			got, err := db.CountProjectsByCountry(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %v, want %v", what, got, want)
			}
		}
		mustCount("no project", map[string]int{})
		_, ps := filterWorld(t, db)
		// B in ID; C in SN and ML; E in ID and SN; A and D in no country.
		mustCount("five projects", map[string]int{"ID": 2, "SN": 2, "ML": 1})
		if err := db.DeleteProject(ctxAs("setup"), ps["E"].ID); err != nil {
			t.Fatal(err)
		}
		mustCount("without E", map[string]int{"ID": 1, "SN": 1, "ML": 1})
	})
}

func TestProjectsBulk(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("importer")
		w := newProjectWorld(t, db)
		const n = 1203 // more than one chunk of ids in every query
		ps := make([]*tcmis.Project, n)
		for i := range ps {
			ps[i] = w.fullProject(fmt.Sprintf("INT/%04d/NET", i))
			if i%3 == 1 { // some with lists left empty
				ps[i].Countries, ps[i].Regions, ps[i].Scope = nil, nil, tcmis.Global
				ps[i].Sectors, ps[i].Conventions, ps[i].AgreementID, ps[i].OfficeID = nil, nil, 0, 0
			}
		}
		if err := db.CreateProjects(ctx, ps); err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, p := range ps {
			if p.ID == 0 || seen[p.ID] || p.Version != 1 || !p.UpdatedAt.Equal(db.Now()) {
				t.Fatalf("loaded project %s has id %d, version %d, updated at %v", p.Code, p.ID, p.Version, p.UpdatedAt)
			}
			seen[p.ID] = true
		}
		got, total, err := db.FindProjects(ctx, tcmis.ProjectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != n || len(got) != n {
			t.Fatalf("found %d of %d projects, want %d", len(got), total, n)
		}
		for i, p := range got { // codes sort as they were made
			sameProject(t, "loaded project "+p.Code, p, ps[i])
		}
		changes := auditTrail(t, db, "project", 0)
		if len(changes) != 1 || changes[0].Action != tcmis.ActionImport || !strings.Contains(string(changes[0].New), `"count":1203`) {
			t.Fatalf("changes = %+v", changes)
		}

		// One bad project in a batch: nothing of the batch is stored, and
		// the problems name it by position.
		batch := []*tcmis.Project{w.fullProject("NEW/1"), w.fullProject("NEW/2"), w.fullProject("NEW/3"), w.fullProject("NEW/2")}
		batch[1].LeadUnitID = 9001
		batch[2].Title = ""
		err = db.CreateProjects(ctx, batch)
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "projects[1].lead_unit_id", "projects[2].title", "projects[3].code")
		if got := countProjects(t, db); got != n {
			t.Fatalf("%d projects after a refused batch, want %d", got, n)
		}

		// A batch whose code is taken is refused whole as a conflict.
		batch = []*tcmis.Project{w.fullProject("NEW/1"), w.fullProject("INT/0007/NET"), w.fullProject("INT/0009/NET")}
		err = db.CreateProjects(ctx, batch)
		mustCode(t, err, tcmis.ECONFLICT)
		if got, want := problemFields(err), []string{"projects[1].code", "projects[2].code"}; !reflect.DeepEqual(got, want) {
			t.Errorf("conflicts with %v, want %v: %v", got, want, err)
		}
		if got := countProjects(t, db); got != n {
			t.Fatalf("%d projects after a refused batch, want %d", got, n)
		}

		// A load that fails after its projects were written leaves none.
		err = db.Load(ctx, "test", func(l tcmis.Loader) error {
			if err := l.CreateProjects([]*tcmis.Project{w.fullProject("NEW/4")}); err != nil {
				return err
			}
			return l.CreateUnits([]*tcmis.Unit{{Code: "EMP", Name: "Again", Kind: tcmis.Department}})
		})
		mustCode(t, err, tcmis.ECONFLICT)
		if got := countProjects(t, db); got != n {
			t.Fatalf("%d projects after a failed load, want %d", got, n)
		}

		// Projects can refer to units and agreements made earlier in the
		// same load.
		err = db.Load(ctx, "test", func(l tcmis.Loader) error {
			u := &tcmis.Unit{Code: "CO-Manila", Name: "Country Office for the Philippines", Kind: tcmis.FieldOffice, Region: tcmis.AsiaPacific, ParentID: w.bangkok.ID}
			if err := l.CreateUnits([]*tcmis.Unit{u}); err != nil {
				return err
			}
			a := &tcmis.Agreement{Ref: "US-2005-7", DonorID: w.usa.ID, Kind: tcmis.SingleProject, Start: date(2005, 1, 1), End: date(2006, 1, 1), Amount: tcmis.Money{Amount: 1, Currency: "USD"}, NegotiatedBy: u.ID}
			if err := l.CreateAgreements([]*tcmis.Agreement{a}); err != nil {
				return err
			}
			p := w.fullProject("PHI/05/01/USA")
			p.OfficeID, p.AgreementID = u.ID, a.ID
			return l.CreateProjects([]*tcmis.Project{p})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := countProjects(t, db); got != n+1 {
			t.Fatalf("%d projects, want %d", got, n+1)
		}
		mustCode(t, db.CreateProjects(ctx, nil), "")
	})
}

// BenchmarkCreateProjects loads b.N projects, each with its lists, in one
// CreateProjects call on SQLite.
func BenchmarkCreateProjects(b *testing.B) {
	db := MustOpenDB(b, sqldb.SQLite)
	w := newProjectWorld(b, db)
	ps := make([]*tcmis.Project, b.N)
	rows := 0
	for i := range ps {
		p := w.fullProject(fmt.Sprintf("BENCH/%08d", i))
		ps[i] = p
		rows += 1 + len(p.DonorIDs) + len(p.Countries) + len(p.Regions) + len(p.Objectives) + len(p.Sectors) +
			len(p.Budget) + len(p.Conventions) + len(p.CountryOutcomes)
	}
	b.ResetTimer()
	if err := db.CreateProjects(context.Background(), ps); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// Editing a project cannot move it through the cycle: its status changes
// only through the cycle's rules.
func TestUpdateProjectKeepsStatus(t *testing.T) {
	db := MustOpenDB(t, sqldb.SQLite)
	ctx := ctxAs("alice")
	unit := &tcmis.Unit{Code: "EMP", Name: "Employment", Kind: tcmis.Department}
	if err := db.CreateUnit(ctx, unit); err != nil {
		t.Fatal(err)
	}
	start, _ := tcmis.ParseDate("2005-01-01")
	end, _ := tcmis.ParseDate("2006-12-31")
	p := &tcmis.Project{Code: "GLO/05/01/RBT", Title: "Youth employment", Source: tcmis.RBTC, LeadUnitID: unit.ID,
		Scope: tcmis.Global, Start: start, End: end, Status: tcmis.Proposal, Currency: "USD"}
	if err := db.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.Status = tcmis.Approved
	err := db.UpdateProject(ctx, p)
	mustCode(t, err, tcmis.EINVALID)
	if ps := tcmis.ErrorProblems(err); len(ps) != 1 || ps[0].Field != "status" {
		t.Fatalf("problems: %v", err)
	}
	got, _ := db.FindProjectByID(ctx, p.ID)
	if got.Status != tcmis.Proposal || got.Version != 1 {
		t.Fatalf("stored project changed: %s version %d", got.Status, got.Version)
	}
	got.Title = "Youth employment in Africa"
	if err := db.UpdateProject(ctx, got); err != nil {
		t.Fatalf("an edit that keeps the status was refused: %v", err)
	}
}
