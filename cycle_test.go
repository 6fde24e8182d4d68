package tcmis_test

import (
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func cycleProject(status tcmis.Status) *tcmis.Project {
	p := validProject()
	p.Status, p.Start, p.End = status, day("2006-07-01"), day("2008-06-30")
	return p
}

var (
	admin    = &tcmis.User{Name: "Ada", Role: tcmis.RoleAdmin}
	officer  = &tcmis.User{Name: "Otto", Role: tcmis.RoleProgrammeOfficer, UnitIDs: []int64{2}}
	stranger = &tcmis.User{Name: "Sam", Role: tcmis.RoleProgrammeOfficer, UnitIDs: []int64{99}}
	viewer   = &tcmis.User{Name: "Vic", Role: tcmis.RoleViewer}
)

// Every pair of states, for every kind of user: which moves the cycle
// allows, and to whom.
func TestTransitions(t *testing.T) {
	type move struct{ from, to tcmis.Status }
	allowed := map[move][]*tcmis.User{
		{tcmis.Proposal, tcmis.Appraisal}:                    {admin, officer},
		{tcmis.Proposal, tcmis.Cancelled}:                    {admin, officer},
		{tcmis.Appraisal, tcmis.Proposal}:                    {admin, officer},
		{tcmis.Appraisal, tcmis.Approved}:                    {admin, officer},
		{tcmis.Appraisal, tcmis.Cancelled}:                   {admin, officer},
		{tcmis.Approved, tcmis.Ongoing}:                      {admin, officer},
		{tcmis.Approved, tcmis.Cancelled}:                    {admin},
		{tcmis.Ongoing, tcmis.OperationallyClosed}:           {admin, officer},
		{tcmis.OperationallyClosed, tcmis.Ongoing}:           {admin},
		{tcmis.OperationallyClosed, tcmis.FinanciallyClosed}: {admin},
	}
	today := day("2007-01-01")
	for _, from := range tcmis.Statuses() {
		for _, to := range tcmis.Statuses() {
			for _, u := range []*tcmis.User{admin, officer, stranger, viewer} {
				p := cycleProject(from)
				_, err := tcmis.CheckTransition(u, p, to, today, "a reason")
				want := false
				for _, a := range allowed[move{from, to}] {
					want = want || a == u
				}
				if (err == nil) != want {
					t.Errorf("%s moving %s -> %s: err %v, want allowed %v", u.Name, from, to, err, want)
				}
				if err == nil {
					continue
				}
				code := tcmis.ErrorCode(err)
				if _, exists := allowed[move{from, to}]; exists && code != tcmis.EFORBIDDEN {
					t.Errorf("%s moving %s -> %s: code %s, want forbidden", u.Name, from, to, code)
				}
				if _, exists := allowed[move{from, to}]; !exists && code != tcmis.EINVALID {
					t.Errorf("%s moving %s -> %s: code %s, want invalid", u.Name, from, to, code)
				}
			}
		}
	}
	if n := len(tcmis.Transitions()); n != len(allowed) {
		t.Errorf("%d transitions, test knows %d", n, len(allowed))
	}
}

func TestTransitionRules(t *testing.T) {
	start := day("2006-07-01")
	for _, tc := range []struct {
		name   string
		user   *tcmis.User
		from   tcmis.Status
		to     tcmis.Status
		day    string
		reason string
		code   string
		msg    string
	}{
		{"cancelling needs a reason", admin, tcmis.Proposal, tcmis.Cancelled, "2006-01-01", " ", tcmis.EINVALID, "needs a reason"},
		{"sent back needs a reason", officer, tcmis.Appraisal, tcmis.Proposal, "2006-01-01", "", tcmis.EINVALID, "needs a reason"},
		{"reopening needs a reason", admin, tcmis.OperationallyClosed, tcmis.Ongoing, "2009-01-01", "", tcmis.EINVALID, "needs a reason"},
		{"approval needs none", officer, tcmis.Appraisal, tcmis.Approved, "2006-01-01", "", "", ""},
		{"not ongoing the day before the start", officer, tcmis.Approved, tcmis.Ongoing, "2006-06-30", "", tcmis.EINVALID, "starts on 2006-07-01"},
		{"ongoing on the start date", officer, tcmis.Approved, tcmis.Ongoing, "2006-07-01", "", "", ""},
		{"already there", admin, tcmis.Ongoing, tcmis.Ongoing, "2007-01-01", "", tcmis.EINVALID, "already Ongoing"},
		{"end of the cycle", admin, tcmis.FinanciallyClosed, tcmis.Ongoing, "2009-01-01", "x", tcmis.EINVALID, "end of the cycle"},
		{"skipping appraisal", admin, tcmis.Proposal, tcmis.Approved, "2006-01-01", "", tcmis.EINVALID, "it can go to appraisal or cancelled"},
		{"no such state", admin, tcmis.Proposal, "done", "2006-01-01", "", tcmis.EINVALID, "not a project status"},
		{"officer of the office", &tcmis.User{Name: "O", Role: tcmis.RoleProgrammeOfficer, UnitIDs: []int64{3}}, tcmis.Proposal, tcmis.Appraisal, "2006-01-01", "", "", ""},
		{"officer without units", &tcmis.User{Name: "O", Role: tcmis.RoleProgrammeOfficer}, tcmis.Proposal, tcmis.Appraisal, "2006-01-01", "", tcmis.EFORBIDDEN, "does not manage"},
		{"disabled administrator", &tcmis.User{Name: "D", Role: tcmis.RoleAdmin, Disabled: true}, tcmis.Proposal, tcmis.Appraisal, "2006-01-01", "", tcmis.EFORBIDDEN, "active user"},
		{"evaluation officer", &tcmis.User{Name: "E", Role: tcmis.RoleEvaluationOfficer}, tcmis.Appraisal, tcmis.Approved, "2006-01-01", "", tcmis.EFORBIDDEN, "is for: Administrator, Programme officer"},
		{"officer cannot close accounts", officer, tcmis.OperationallyClosed, tcmis.FinanciallyClosed, "2009-01-01", "", tcmis.EFORBIDDEN, "is for: Administrator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := cycleProject(tc.from)
			p.Start = start
			_, err := tcmis.CheckTransition(tc.user, p, tc.to, day(tc.day), tc.reason)
			if got := tcmis.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if err != nil && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestDueToStart(t *testing.T) {
	p := cycleProject(tcmis.Approved)
	for _, tc := range []struct {
		status tcmis.Status
		day    string
		want   bool
	}{
		{tcmis.Approved, "2006-06-30", false},
		{tcmis.Approved, "2006-07-01", true},
		{tcmis.Approved, "2007-01-01", true},
		{tcmis.Appraisal, "2007-01-01", false},
	} {
		p.Status = tc.status
		if got := tcmis.DueToStart(p, day(tc.day)); got != tc.want {
			t.Errorf("%s on %s: due %v, want %v", tc.status, tc.day, got, tc.want)
		}
	}
}
