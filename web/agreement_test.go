package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
)

func TestAgreementList(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	all, total, err := a.DB.FindAgreements(ctx, tcmis.AgreementFilter{})
	if err != nil || total < 2 {
		t.Fatalf("too few agreements in the demo: %v", err)
	}
	first := all[0]
	var other *tcmis.Agreement
	for _, x := range all {
		if x.DonorID != first.DonorID {
			other = x
			break
		}
	}
	mine, n, err := a.DB.FindAgreements(ctx, tcmis.AgreementFilter{DonorID: &first.DonorID})
	if err != nil {
		t.Fatal(err)
	}
	c := a.as(tcmis.RoleViewer)
	c.get("/agreements").must(t, 200).contains(t, fmt.Sprintf("%d agreements", total))
	res := c.get(fmt.Sprintf("/agreements?donor=%d", first.DonorID)).must(t, 200)
	res.contains(t, fmt.Sprintf("%d agreements", n), ">"+refEsc(mine[0].Ref)+"<")
	if strings.Contains(res.Body, ">"+refEsc(other.Ref)+"<") {
		t.Errorf("the donor filter shows %s of another donor", other.Ref)
	}

	// Ending on or before a day.
	day := first.End
	ending, m, err := a.DB.FindAgreements(ctx, tcmis.AgreementFilter{EndingBefore: &day})
	if err != nil || m == 0 {
		t.Fatal(err)
	}
	res = c.get("/agreements?ending_before="+day.Format(tcmis.DateLayout)).must(t, 200)
	res.contains(t, fmt.Sprintf("%d agreements", m), ">"+refEsc(ending[0].Ref)+"<")
	for _, x := range all {
		if x.End.After(day) && strings.Contains(res.Body, ">"+refEsc(x.Ref)+"<") {
			t.Errorf("%s ends %s, after %s, and is listed", x.Ref, x.End.Format(tcmis.DateLayout), day.Format(tcmis.DateLayout))
			break
		}
	}
	c.get("/agreements?ending_before=soon").must(t, 422).contains(t, "ending_before")
	c.get("/agreements?donor=abc").must(t, 422)
}

func TestAgreementPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	ag, err := a.DB.FindAgreementByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	donor, err := a.DB.FindOrganisationByID(ctx, ag.DonorID)
	if err != nil {
		t.Fatal(err)
	}
	approvals, _, err := a.DB.FindApprovals(ctx, tcmis.MoneyFilter{DonorID: &ag.DonorID})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, x := range approvals {
		if x.AgreementID == ag.ID {
			sum += x.Amount.USD
		}
	}
	res := a.as(tcmis.RoleEvaluationOfficer).get("/agreements/1").must(t, 200)
	res.contains(t, refEsc(ag.Ref), refEsc(ag.Title), refEsc(donor.Name), ag.Start.Format(tcmis.DateLayout), ag.End.Format(tcmis.DateLayout),
		`id="agreement-amount">`+refAmount(ag.Amount)+"<")
	if sum != 0 {
		res.contains(t, `<td class="num">`+refDollars(sum)+`</td></tr></tbody>`)
	}
	if strings.Contains(res.Body, `href="/agreements/1/edit"`) {
		t.Error("an evaluation officer is offered to edit an agreement")
	}
	a.as(tcmis.RoleViewer).get("/agreements/999999").must(t, 404)
}

// refAmount formats money as the pages do in English.
func refAmount(m tcmis.Money) string {
	s := tcmis.FormatAmount(m.Amount, m.Currency)
	whole, frac, ok := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0 && whole[i-1] != '-'; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if ok {
		whole += "." + frac
	}
	return whole + " " + m.Currency
}

func TestAgreementAccess(t *testing.T) {
	a := newApp(t)
	refCheckAccess(t, a, []refAccess{
		{tcmis.RoleViewer, "GET", "/agreements", 200},
		{tcmis.RoleViewer, "GET", "/agreements/1", 200},
		{tcmis.RoleDonorViewer, "GET", "/agreements", 403},
		{tcmis.RoleDonorViewer, "GET", "/agreements/1", 403},
		{tcmis.RoleEvaluationOfficer, "GET", "/agreements/1/edit", 403},
		{tcmis.RoleEvaluationOfficer, "POST", "/agreements/1/edit", 403},
		{tcmis.RoleProgrammeOfficer, "GET", "/agreements/new", 403},
		{tcmis.RoleViewer, "POST", "/agreements/new", 403},
		{tcmis.RoleResourceMobiliser, "GET", "/agreements/new?donor=2", 200},
		{tcmis.RoleResourceMobiliser, "GET", "/agreements/1/edit", 200},
		{tcmis.RoleAdmin, "GET", "/agreements/999999/edit", 404},
	})
}

func TestAgreementForms(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.as(tcmis.RoleResourceMobiliser)
	form := func() url.Values {
		return url.Values{"ref": {"TEST-2007"}, "title": {"Test partnership 2007-2009"}, "donor_id": {"2"}, "kind": {"partnership"},
			"start": {"2007-01-01"}, "end": {"2009-12-31"}, "amount": {"1,250,000.50"}, "amount.currency": {"eur"}, "local": {"true"}}
	}

	t.Run("create", func(t *testing.T) {
		c.get("/agreements/new?donor=2").must(t, 200).contains(t, `<option value="2" selected>`)
		id := refCreatedID(t, c.post("/agreements/new", form()), "/agreements/")
		ag, err := a.DB.FindAgreementByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := tcmis.Money{Amount: 125000050, Currency: "EUR"}
		if ag.Ref != "TEST-2007" || ag.DonorID != 2 || ag.Amount != want || !ag.Local ||
			!ag.Start.Equal(time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC)) || !ag.End.Equal(time.Date(2009, 12, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("stored %+v", ag)
		}
		refAudited(t, a, "agreement", id, tcmis.ActionCreate, tcmis.RoleResourceMobiliser)
		c.get(fmt.Sprintf("/agreements/%d", id)).must(t, 200).contains(t, "Agreement TEST-2007 added.", "1,250,000.50 EUR")
	})

	for _, x := range []struct {
		name     string
		change   url.Values
		problems map[string]string
	}{
		{"too many decimals", url.Values{"amount": {"12.345"}, "amount.currency": {"USD"}}, map[string]string{"amount": "more than 2 decimals"}},
		{"not an amount", url.Values{"amount": {"lots"}}, map[string]string{"amount": "is not an amount"}},
		{"no amount", url.Values{"amount": {""}}, map[string]string{"amount": "the agreement&#39;s amount is required"}},
		{"ends before it starts", url.Values{"end": {"2006-12-31"}}, map[string]string{"end": "must come after the start date"}},
		{"bad date and no donor", url.Values{"start": {"1/1/2007"}, "donor_id": {""}}, map[string]string{
			"start": "is not a date written as YYYY-MM-DD", "donor_id": "say which donor signed the agreement"}},
		{"no reference", url.Values{"ref": {""}}, map[string]string{"ref": "the agreement needs a reference"}},
	} {
		t.Run(x.name, func(t *testing.T) {
			f := form()
			for k, v := range x.change {
				f[k] = v
			}
			_, before, _ := a.DB.FindAgreements(ctx, tcmis.AgreementFilter{})
			res := c.post("/agreements/new", f).must(t, 422)
			for field, msg := range x.problems {
				res.contains(t, `id="`+field+`-error"`, msg)
			}
			// The form keeps what was typed.
			res.contains(t, `value="`+refEsc(f.Get("amount"))+`"`)
			if _, after, _ := a.DB.FindAgreements(ctx, tcmis.AgreementFilter{}); after != before {
				t.Error("an invalid agreement was stored")
			}
		})
	}

	t.Run("edit and stale edit", func(t *testing.T) {
		ag, err := a.DB.FindAgreementByID(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		res := c.get("/agreements/1/edit").must(t, 200)
		res.contains(t, `value="`+refEsc(ag.Ref)+`"`, `name="version" value="`+strconv.Itoa(ag.Version)+`"`,
			`value="`+tcmis.FormatAmount(ag.Amount.Amount, ag.Amount.Currency)+`"`)
		f := url.Values{"ref": {ag.Ref}, "title": {ag.Title}, "donor_id": {strconv.FormatInt(ag.DonorID, 10)}, "kind": {string(ag.Kind)},
			"start": {ag.Start.Format(tcmis.DateLayout)}, "end": {"2006-06-30"},
			"amount": {tcmis.FormatAmount(ag.Amount.Amount, ag.Amount.Currency)}, "amount.currency": {ag.Amount.Currency},
			"negotiated_by": {strconv.FormatInt(ag.NegotiatedBy, 10)}, "version": {strconv.Itoa(ag.Version)}}
		refCreatedID(t, c.post("/agreements/1/edit", f), "/agreements/")
		saved, _ := a.DB.FindAgreementByID(ctx, 1)
		if !saved.End.Equal(time.Date(2006, 6, 30, 0, 0, 0, 0, time.UTC)) || saved.Amount != ag.Amount {
			t.Errorf("saved %+v", saved)
		}
		refAudited(t, a, "agreement", 1, tcmis.ActionUpdate, tcmis.RoleResourceMobiliser)
		f.Set("end", "2007-06-30")
		a.as(tcmis.RoleAdmin).post("/agreements/1/edit", f).must(t, 409).contains(t, "changed by someone else")
		if now, _ := a.DB.FindAgreementByID(ctx, 1); !now.End.Equal(saved.End) {
			t.Error("the stale edit was saved")
		}
	})
}
