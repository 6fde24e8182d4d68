package web_test

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

// The history reads as people speak: unit names, days, labels and
// amounts, not the stored codes and numbers.
func TestProjectHistoryReadable(t *testing.T) {
	a := newApp(t)
	ctx := tcmis.WithActor(t.Context(), tcmis.Actor{Name: "test"})
	first, _, err := a.DB.FindProjects(ctx, tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := first[0]
	units, _, err := a.DB.FindUnits(ctx, tcmis.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := a.DB.FindUnitByID(ctx, p.LeadUnitID)
	var other *tcmis.Unit
	for _, u := range units {
		if u.ID != p.LeadUnitID && u.Kind == old.Kind {
			other = u
			break
		}
	}
	p.LeadUnitID = other.ID
	p.End = p.End.AddDate(0, 6, 0)
	p.Budget = append([]tcmis.BudgetLine(nil), p.Budget...)
	p.Budget[0].Amount += 12345
	if err := a.DB.UpdateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	body := a.as(tcmis.RoleAdmin).get("/projects/"+strconv.FormatInt(p.ID, 10)+"/history").must(t, http.StatusOK).Body
	i := strings.Index(body, `class="diff"`)
	if i < 0 {
		t.Fatalf("the page shows no change:\n%s", body[strings.Index(body, "<main"):])
	}
	diff := body[i:min(len(body), i+3000)]
	for _, want := range []string{"Lead unit", old.Name, other.Name, p.End.Format(tcmis.DateLayout), p.Budget[0].Type.Label()} {
		if !strings.Contains(diff, html.EscapeString(want)) {
			t.Errorf("the history lacks %q:\n%s", want, diff)
		}
	}
	for _, raw := range []string{"lead_unit_id", "T00:00:00Z", `"amount"`} {
		if strings.Contains(diff, raw) {
			t.Errorf("the history shows the stored form %q", raw)
		}
	}
}
