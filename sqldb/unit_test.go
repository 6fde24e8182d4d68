package sqldb_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestUnits(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		ro := &tcmis.Unit{Code: "RO-Bangkok", Name: "Regional Office for Asia and the Pacific", Kind: tcmis.RegionalOffice, Region: tcmis.AsiaPacific, Country: "TH"}
		if err := db.CreateUnit(ctx, ro); err != nil {
			t.Fatal(err)
		}
		if ro.ID == 0 || ro.Version != 1 {
			t.Fatalf("created unit has id %d version %d", ro.ID, ro.Version)
		}
		co := &tcmis.Unit{Code: "CO-Jakarta", Name: "Country Office for Indonesia", Kind: tcmis.FieldOffice, ParentID: ro.ID, Region: tcmis.AsiaPacific, Country: "ID"}
		emp := &tcmis.Unit{Code: "EMP", Name: "Employment Sector", Kind: tcmis.Department}
		for _, u := range []*tcmis.Unit{co, emp} {
			if err := db.CreateUnit(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		for _, want := range []*tcmis.Unit{ro, co, emp} {
			got, err := db.FindUnitByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *got != *want {
				t.Fatalf("read back %+v, want %+v", got, want)
			}
		}
		_, err := db.FindUnitByID(ctx, emp.ID+100)
		mustCode(t, err, tcmis.ENOTFOUND)

		// Filters and paging.
		field, asia, code := tcmis.FieldOffice, tcmis.AsiaPacific, "EMP"
		for _, tt := range []struct {
			f     tcmis.UnitFilter
			want  []*tcmis.Unit
			total int
		}{
			{tcmis.UnitFilter{}, []*tcmis.Unit{co, emp, ro}, 3},
			{tcmis.UnitFilter{Kind: &field}, []*tcmis.Unit{co}, 1},
			{tcmis.UnitFilter{Region: &asia}, []*tcmis.Unit{co, ro}, 2},
			{tcmis.UnitFilter{Code: &code}, []*tcmis.Unit{emp}, 1},
			{tcmis.UnitFilter{ID: &ro.ID}, []*tcmis.Unit{ro}, 1},
			{tcmis.UnitFilter{Offset: 1, Limit: 1}, []*tcmis.Unit{emp}, 3},
		} {
			got, total, err := db.FindUnits(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) || total != tt.total {
				t.Errorf("FindUnits(%+v) = %d of %d, want %d of %d", tt.f, len(got), total, len(tt.want), tt.total)
			}
		}

		// Invalid units are refused with every problem; a missing parent
		// is one of them.
		err = db.CreateUnit(ctx, &tcmis.Unit{Code: "CO-X", Kind: tcmis.FieldOffice, ParentID: 9001})
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "name", "region", "parent_id")
		if n := len(tcmis.ErrorProblems(err)); n != 3 {
			t.Errorf("%d problems, want 3: %v", n, err)
		}
		err = db.CreateUnit(ctx, &tcmis.Unit{Code: "EMP", Name: "Another", Kind: tcmis.Department})
		mustCode(t, err, tcmis.ECONFLICT)
		if want := "a unit with code EMP already exists"; tcmis.ErrorMessage(err) != want {
			t.Errorf("message %q, want %q", tcmis.ErrorMessage(err), want)
		}

		// A unit cannot end up reporting to itself through others.
		loop, _ := db.FindUnitByID(ctx, ro.ID)
		loop.ParentID = co.ID
		err = db.UpdateUnit(ctx, loop)
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "parent_id")
		renamed, _ := db.FindUnitByID(ctx, co.ID)
		renamed.Code = "EMP"
		mustCode(t, db.UpdateUnit(ctx, renamed), tcmis.ECONFLICT)

		// Two people edit the same unit: the second save is refused.
		a, _ := db.FindUnitByID(ctx, co.ID)
		b, _ := db.FindUnitByID(ctx, co.ID)
		a.Name = "ILO Jakarta"
		if err := db.UpdateUnit(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.Country = "TL"
		mustCode(t, db.UpdateUnit(ctxAs("bob"), b), tcmis.ECONFLICT)
		got, _ := db.FindUnitByID(ctx, co.ID)
		if *got != *a || got.Version != 2 {
			t.Fatalf("after conflict: %+v, want %+v", got, a)
		}

		changes := auditTrail(t, db, "unit", co.ID)
		if len(changes) != 2 || changes[0].Action != tcmis.ActionUpdate || changes[0].Actor != "alice" {
			t.Fatalf("changes = %+v", changes)
		}
		var old, new tcmis.Unit
		json.Unmarshal(changes[0].Old, &old)
		json.Unmarshal(changes[0].New, &new)
		if old != *co || new != *a {
			t.Fatalf("audited %+v -> %+v, want %+v -> %+v", old, new, co, a)
		}

		// A unit others report to stays; a leaf goes.
		err = db.DeleteUnit(ctx, ro.ID)
		mustCode(t, err, tcmis.ECONFLICT)
		if !strings.Contains(tcmis.ErrorMessage(err), "1 unit") {
			t.Errorf("message does not say what refers to the unit: %s", tcmis.ErrorMessage(err))
		}
		if err := db.DeleteUnit(ctx, co.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindUnitByID(ctx, co.ID)
		mustCode(t, err, tcmis.ENOTFOUND)
		mustCode(t, db.DeleteUnit(ctx, co.ID), tcmis.ENOTFOUND)
		if err := db.DeleteUnit(ctx, ro.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUnitsBulk(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("importer")
		ro := &tcmis.Unit{Code: "RO-Dakar", Name: "Regional Office for Africa", Kind: tcmis.RegionalOffice, Region: tcmis.Africa}
		if err := db.CreateUnit(ctx, ro); err != nil {
			t.Fatal(err)
		}
		us := []*tcmis.Unit{
			{Code: "CO-Abuja", Name: "Country Office for Nigeria", Kind: tcmis.FieldOffice, Region: tcmis.Africa, Country: "NG", ParentID: ro.ID},
			{Code: "SOCPRO", Name: "Social Protection Sector", Kind: tcmis.Department},
		}
		if err := db.Load(ctx, "units.csv", func(l tcmis.Loader) error { return l.CreateUnits(us) }); err != nil {
			t.Fatal(err)
		}
		for _, want := range us {
			got, err := db.FindUnitByID(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *got != *want || got.Version != 1 {
				t.Fatalf("loaded %+v, read back %+v", want, got)
			}
		}

		// One bad unit: none of the batch is stored.
		bad := []*tcmis.Unit{
			{Code: "CO-Accra", Name: "Country Office for Ghana", Kind: tcmis.FieldOffice, Region: tcmis.Africa, ParentID: ro.ID},
			{Code: "CO-Lusaka", Name: "Country Office for Zambia", Kind: tcmis.FieldOffice, Region: tcmis.Africa, ParentID: 9001},
			{Code: "CO-Accra", Name: "Twice", Kind: "hq"},
		}
		err := db.Load(ctx, "units.csv", func(l tcmis.Loader) error { return l.CreateUnits(bad) })
		mustCode(t, err, tcmis.EINVALID)
		hasFields(t, err, "units[1].parent_id", "units[2].kind", "units[2].code")
		err = db.Load(ctx, "units.csv", func(l tcmis.Loader) error {
			return l.CreateUnits([]*tcmis.Unit{{Code: "CO-Accra", Name: "Ghana", Kind: tcmis.Department}, {Code: "SOCPRO", Name: "Again", Kind: tcmis.Department}})
		})
		mustCode(t, err, tcmis.ECONFLICT)
		hasFields(t, err, "units[1].code")
		if _, n, _ := db.FindUnits(ctx, tcmis.UnitFilter{}); n != 3 {
			t.Fatalf("%d units after refused batches, want 3", n)
		}
	})
}
