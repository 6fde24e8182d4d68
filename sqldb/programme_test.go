package sqldb_test

import (
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func indonesiaProgramme() *tcmis.CountryProgramme {
	return &tcmis.CountryProgramme{
		Country: "ID", Title: "Decent Work Country Programme Indonesia", StartYear: 2006, EndYear: 2010,
		Status: tcmis.ProgrammeActive,
		UNDAF:  tcmis.Involvement{Framework: "UNDAF 2006-2010", StartYear: 2006, EndYear: 2010, Status: tcmis.Completed, CompletedYear: 2005, SecondRound: tcmis.SecondRoundExpected},
		PRS:    tcmis.Involvement{Status: tcmis.Involved},
		Priorities: []tcmis.Priority{
			{Number: 1, Title: "Employment creation for poverty reduction", Outcomes: []tcmis.CountryOutcome{
				{Code: "IDN101", Title: "Youth employment policies", GlobalOutcomes: []string{"2a.1", "2b.3"}, Planned: 150_000_00},
				{Code: "IDN102", Title: "Local economic development", Planned: 80_000_00},
			}},
			{Number: 2, Title: "Stop exploitation at work", Outcomes: []tcmis.CountryOutcome{
				{Code: "IDN201", Title: "Child labour reduced", GlobalOutcomes: []string{"1a.2"}},
			}},
			{Number: 3, Title: "Social dialogue for economic growth"},
		},
	}
}

func TestProgrammes(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		c := indonesiaProgramme()
		if err := db.CreateProgramme(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Version != 1 {
			t.Fatalf("created programme has id %d version %d", c.ID, c.Version)
		}
		got, err := db.FindProgrammeByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		mustEqualRecord(t, got, c)
		if got.PRS.Status != tcmis.Involved || got.UNDAF.String() != "Completed 2005, second round expected" {
			t.Fatalf("involvements read back as %+v, %+v", got.UNDAF, got.PRS)
		}

		// Unnumbered priorities take their position; an involvement
		// without a status is "none".
		other := &tcmis.CountryProgramme{Country: "KH", Title: "DWCP Cambodia", StartYear: 2008, EndYear: 2010, Status: tcmis.ProgrammeDraft,
			Priorities: []tcmis.Priority{{Title: "First"}, {Title: "Second", Outcomes: []tcmis.CountryOutcome{{Code: "KHM201", Title: "Garment sector"}}}}}
		if err := db.CreateProgramme(ctx, other); err != nil {
			t.Fatal(err)
		}
		if other.Priorities[1].Number != 2 || other.UNDAF.Status != tcmis.NotInvolved {
			t.Fatalf("normalised programme: %+v", other)
		}
		got, _ = db.FindProgrammeByID(ctx, other.ID)
		mustEqualRecord(t, got, other)

		err = db.CreateProgramme(ctx, &tcmis.CountryProgramme{Country: "ZZ", StartYear: 2010, EndYear: 2008, Status: "x",
			Priorities: []tcmis.Priority{{Number: 1, Title: "a"}, {Number: 1, Title: "b", Outcomes: []tcmis.CountryOutcome{{Code: "A1", Title: "t", GlobalOutcomes: []string{"1a.1,1a.2"}}}}}})
		mustProblems(t, err, tcmis.EINVALID, "country", "title", "end_year", "status", "priorities[1].number", "priorities[1].outcomes[0].global_outcomes[0]")

		active, kh := tcmis.ProgrammeActive, "kh"
		list, total, err := db.FindProgrammes(ctx, tcmis.ProgrammeFilter{Status: &active})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("find by status: %v of %d, %v", list, total, err)
		}
		mustEqualRecord(t, list[0], c)
		mustFind(t, "country", 1, 1)(db.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &kh}))
		list, total, err = db.FindProgrammes(ctx, tcmis.ProgrammeFilter{Offset: 1, Limit: 1})
		if err != nil || total != 2 || len(list) != 1 { // by country: ID, then KH
			t.Fatalf("second page: %v of %d, %v", list, total, err)
		}
		mustEqualRecord(t, list[0], other)

		// An update replaces the priorities and outcomes; a stale one is
		// refused and changes nothing.
		a, _ := db.FindProgrammeByID(ctx, c.ID)
		stale, _ := db.FindProgrammeByID(ctx, c.ID)
		a.Priorities = []tcmis.Priority{a.Priorities[1], {Number: 4, Title: "New priority", Outcomes: []tcmis.CountryOutcome{
			{Code: "IDN401", Title: "Labour law reform", GlobalOutcomes: []string{"4a.1"}, Planned: 1},
			{Code: "IDN102", Title: "Moved here"},
		}}}
		a.Status, a.PRS = tcmis.ProgrammeCompleted, tcmis.Involvement{Status: tcmis.Completed, CompletedYear: 2009}
		if err := db.UpdateProgramme(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Version != 2 {
			t.Fatalf("version after update = %d", a.Version)
		}
		got, _ = db.FindProgrammeByID(ctx, c.ID)
		mustEqualRecord(t, got, a)
		stale.Title = "Stale"
		mustCode(t, db.UpdateProgramme(ctxAs("bob"), stale), tcmis.ECONFLICT)
		got, _ = db.FindProgrammeByID(ctx, c.ID)
		mustEqualRecord(t, got, a)
		changes := mustAudit(t, db, "programme", c.ID, tcmis.ActionUpdate, tcmis.ActionCreate)
		if !strings.Contains(string(changes[0].Old), "IDN101") || strings.Contains(string(changes[0].New), "IDN101") || !strings.Contains(string(changes[0].New), "IDN401") {
			t.Fatalf("update entry: old %s new %s", changes[0].Old, changes[0].New)
		}

		// A programme an evaluation refers to stays.
		e := &tcmis.Evaluation{Title: "DWCP review", Subject: tcmis.SubjectProgramme, ProgrammeID: c.ID, Type: tcmis.CountryProgrammeEval,
			Timing: tcmis.MidTerm, Planned: ymd(2008, 6, 1), Status: tcmis.EvaluationPlanned}
		if err := db.CreateEvaluation(ctx, e); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteProgramme(ctx, c.ID), tcmis.EINVALID)
		if err := db.DeleteEvaluation(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteProgramme(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindProgrammeByID(ctx, c.ID)
		mustCode(t, err, tcmis.ENOTFOUND)
		mustAudit(t, db, "programme", c.ID, tcmis.ActionDelete, tcmis.ActionUpdate, tcmis.ActionCreate)
		mustCode(t, db.DeleteProgramme(ctx, c.ID), tcmis.ENOTFOUND)

		// Its outcome codes are free again.
		again := indonesiaProgramme()
		if err := db.CreateProgramme(ctx, again); err != nil {
			t.Fatal(err)
		}
	})
}

func TestProgrammeOutcomeCodes(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		c := indonesiaProgramme()
		if err := db.CreateProgramme(ctx, c); err != nil {
			t.Fatal(err)
		}
		// Another programme may not use a code of the first.
		dup := &tcmis.CountryProgramme{Country: "PH", Title: "DWCP Philippines", StartYear: 2006, EndYear: 2009, Status: tcmis.ProgrammeDraft,
			Priorities: []tcmis.Priority{{Number: 1, Title: "Jobs", Outcomes: []tcmis.CountryOutcome{{Code: "PHL101", Title: "ok"}, {Code: "IDN201", Title: "taken"}}}}}
		err := db.CreateProgramme(ctx, dup)
		mustProblems(t, err, tcmis.ECONFLICT, "priorities[0].outcomes[1].code")
		if !strings.Contains(tcmis.ErrorMessage(err), "IDN201") {
			t.Fatalf("conflict does not name the code: %v", err)
		}
		mustFind(t, "after conflict", 1, 1)(db.FindProgrammes(ctx, tcmis.ProgrammeFilter{}))

		dup.Priorities[0].Outcomes[1].Code = "PHL102"
		if err := db.CreateProgramme(ctx, dup); err != nil {
			t.Fatal(err)
		}
		// Keeping its own codes is fine; taking another's is not.
		c.Title = "Renamed"
		if err := db.UpdateProgramme(ctx, c); err != nil {
			t.Fatal(err)
		}
		dup.Priorities[0].Outcomes[0].Code = "IDN101"
		err = db.UpdateProgramme(ctx, dup)
		mustCode(t, err, tcmis.ECONFLICT)
		if !strings.Contains(tcmis.ErrorMessage(err), "IDN101") {
			t.Fatalf("conflict does not name the code: %v", err)
		}
		got, _ := db.FindProgrammeByID(ctx, dup.ID)
		if got.Version != 1 || got.Priorities[0].Outcomes[0].Code != "PHL101" {
			t.Fatalf("refused update changed the programme: %+v", got)
		}
	})
}

func TestProgrammeLoad(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("loader")
		existing := indonesiaProgramme()
		if err := db.CreateProgramme(ctx, existing); err != nil {
			t.Fatal(err)
		}
		cs := []*tcmis.CountryProgramme{
			{Country: "KH", Title: "DWCP Cambodia", StartYear: 2008, EndYear: 2010, Status: tcmis.ProgrammeActive,
				UNDAF: tcmis.Involvement{Status: tcmis.Involved, SecondRound: tcmis.SecondRoundOngoing},
				Priorities: []tcmis.Priority{{Number: 1, Title: "Garments", Outcomes: []tcmis.CountryOutcome{
					{Code: "KHM101", Title: "Better factories", GlobalOutcomes: []string{"1a.1", "4a.2"}, Planned: 10},
					{Code: "KHM102", Title: "Skills"},
				}}}},
			{Country: "VN", Title: "DWCP Viet Nam", StartYear: 2006, EndYear: 2010, Status: tcmis.ProgrammeDraft},
		}
		if err := db.Load(ctx, "dwcp.xlsx", func(l tcmis.Loader) error { return l.CreateProgrammes(cs) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.ID == 0 || c.ID == existing.ID || c.Version != 1 {
				t.Fatalf("loaded programme id %d version %d", c.ID, c.Version)
			}
			got, err := db.FindProgrammeByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqualRecord(t, got, c)
		}
		mustAudit(t, db, "programme", 0, tcmis.ActionImport)

		// Codes used twice in a batch, or already used, refuse the batch.
		batch := func(codes ...string) []*tcmis.CountryProgramme {
			var out []*tcmis.CountryProgramme
			for i, code := range codes {
				out = append(out, &tcmis.CountryProgramme{Country: "TH", Title: "DWCP Thailand " + code, StartYear: 2006 + i, EndYear: 2010, Status: tcmis.ProgrammeDraft,
					Priorities: []tcmis.Priority{{Title: "p", Outcomes: []tcmis.CountryOutcome{{Code: code, Title: "t"}}}}})
			}
			return out
		}
		err := db.Load(ctx, "dup.xlsx", func(l tcmis.Loader) error { return l.CreateProgrammes(batch("THA101", "THA101")) })
		mustProblems(t, err, tcmis.ECONFLICT, "programmes[1].priorities[0].outcomes[0].code")
		err = db.Load(ctx, "dup.xlsx", func(l tcmis.Loader) error { return l.CreateProgrammes(batch("THA101", "KHM102")) })
		mustProblems(t, err, tcmis.ECONFLICT, "programmes[1].priorities[0].outcomes[0].code")
		if !strings.Contains(tcmis.ErrorMessage(err), "KHM102") {
			t.Fatalf("conflict does not name the code: %v", err)
		}
		err = db.Load(ctx, "bad.xlsx", func(l tcmis.Loader) error {
			bad := batch("THA101", "THA102", "THA103")
			bad[0].Title, bad[2].Status = "", "lost"
			return l.CreateProgrammes(bad)
		})
		mustProblems(t, err, tcmis.EINVALID, "programmes[0].title", "programmes[2].status")
		th := "TH"
		mustFind(t, "after refused loads", 0, 0)(db.FindProgrammes(ctx, tcmis.ProgrammeFilter{Country: &th}))
	})
}
