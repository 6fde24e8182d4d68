package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// The form of a Decent Work Country Programme: its facts, its links to
// the UN development framework (UNDAF) and the poverty reduction strategy
// (PRS), and its priorities, each with its country outcomes. Rows are
// named as the domain's Validate names them ("priorities[0].outcomes[1].code"),
// so that a problem shows next to its input. Empty rows are left out;
// the form always offers one more priority and two more outcomes per
// priority than the programme has.

type programmeFormData struct {
	// Programme is the programme edited; nil for a new one.
	Programme  *tcmis.CountryProgramme
	Values     url.Values
	Countries  []refOption
	Statuses   []refOption
	Involved   []refOption
	Rounds     []refOption
	Priorities []programmeRow
}

// programmeRow is a priority of the form with the indexes of its outcome
// rows.
type programmeRow struct {
	Index    int
	Outcomes []int
}

func newProgrammeForm(c *tcmis.CountryProgramme, v url.Values) *programmeFormData {
	d := &programmeFormData{Programme: c, Values: v, Countries: refCountryOptions()}
	for _, x := range []tcmis.ProgrammeStatus{tcmis.ProgrammeDraft, tcmis.ProgrammeActive, tcmis.ProgrammeCompleted} {
		d.Statuses = append(d.Statuses, refOption{Value: string(x), Label: x.Label()})
	}
	for _, x := range []tcmis.InvolvementStatus{tcmis.NotInvolved, tcmis.Involved, tcmis.Completed} {
		d.Involved = append(d.Involved, refOption{Value: string(x), Label: x.Label()})
	}
	d.Rounds = []refOption{{Value: string(tcmis.SecondRoundExpected), Label: "Second round expected"}, {Value: string(tcmis.SecondRoundOngoing), Label: "Second round ongoing"}}
	// One more priority, and two more outcomes per priority, than filled.
	n := programmeRowCount(v, `^priorities\[(\d+)\]`)
	for i := 0; i <= n; i++ {
		row := programmeRow{Index: i}
		m := programmeRowCount(v, fmt.Sprintf(`^priorities\[%d\]\.outcomes\[(\d+)\]`, i))
		for j := 0; j < m+2; j++ {
			row.Outcomes = append(row.Outcomes, j)
		}
		d.Priorities = append(d.Priorities, row)
	}
	return d
}

// programmeRowCount is one more than the largest index the pattern's group finds
// among the filled values, 0 when none.
func programmeRowCount(v url.Values, pattern string) int {
	re := regexp.MustCompile(pattern)
	n := 0
	for k, vs := range v {
		if m := re.FindStringSubmatch(k); m != nil && strings.TrimSpace(strings.Join(vs, "")) != "" {
			if i, err := strconv.Atoi(m[1]); err == nil && i < 100 {
				n = max(n, i+1)
			}
		}
	}
	return n
}

func programmeValues(c *tcmis.CountryProgramme) url.Values {
	v := url.Values{
		"country": {c.Country}, "title": {c.Title}, "start_year": {refIntInput(c.StartYear)}, "end_year": {refIntInput(c.EndYear)},
		"status": {string(c.Status)}, "version": {strconv.Itoa(c.Version)},
	}
	for _, x := range []struct {
		key string
		in  tcmis.Involvement
	}{{"undaf", c.UNDAF}, {"prs", c.PRS}} {
		v.Set(x.key+".framework", x.in.Framework)
		v.Set(x.key+".start_year", refIntInput(x.in.StartYear))
		v.Set(x.key+".end_year", refIntInput(x.in.EndYear))
		v.Set(x.key+".status", string(x.in.Status))
		v.Set(x.key+".completed_year", refIntInput(x.in.CompletedYear))
		v.Set(x.key+".second_round", string(x.in.SecondRound))
	}
	for i, p := range c.Priorities {
		pf := fmt.Sprintf("priorities[%d]", i)
		v.Set(pf+".title", p.Title)
		for j, o := range p.Outcomes {
			of := fmt.Sprintf("%s.outcomes[%d]", pf, j)
			v.Set(of+".code", o.Code)
			v.Set(of+".title", o.Title)
			v.Set(of+".global_outcomes", strings.Join(o.GlobalOutcomes, " "))
			v.Set(of+".planned_usd", refUSDInput(o.Planned))
		}
	}
	return v
}

var programmeOutcomeFields = []string{"code", "title", "global_outcomes", "planned_usd"}

// readProgramme reads the form into c, leaving out empty rows, and
// returns the form's values renumbered as c's priorities and outcomes
// are, to show the form again.
func readProgramme(r *http.Request, c *tcmis.CountryProgramme) (url.Values, error) {
	f, err := readRefForm(r)
	if err != nil {
		return nil, err
	}
	out := url.Values{}
	for _, k := range []string{"country", "title", "start_year", "end_year", "status", "version",
		"undaf.framework", "undaf.start_year", "undaf.end_year", "undaf.status", "undaf.completed_year", "undaf.second_round",
		"prs.framework", "prs.start_year", "prs.end_year", "prs.status", "prs.completed_year", "prs.second_round"} {
		out.Set(k, f.text(k))
	}
	c.Country = strings.ToUpper(f.text("country"))
	c.Title = f.text("title")
	c.StartYear = f.integer("start_year")
	c.EndYear = f.integer("end_year")
	c.Status = tcmis.ProgrammeStatus(f.text("status"))
	c.Version = f.version()
	for _, x := range []struct {
		key string
		in  *tcmis.Involvement
	}{{"undaf", &c.UNDAF}, {"prs", &c.PRS}} {
		x.in.Framework = f.text(x.key + ".framework")
		x.in.StartYear = f.integer(x.key + ".start_year")
		x.in.EndYear = f.integer(x.key + ".end_year")
		x.in.Status = tcmis.InvolvementStatus(f.text(x.key + ".status"))
		x.in.CompletedYear = f.integer(x.key + ".completed_year")
		x.in.SecondRound = tcmis.SecondRound(f.text(x.key + ".second_round"))
	}
	c.Priorities = nil
	n := programmeRowCount(r.PostForm, `^priorities\[(\d+)\]`)
	for ri := 0; ri < n; ri++ {
		rp := fmt.Sprintf("priorities[%d]", ri)
		i := len(c.Priorities)
		pf := fmt.Sprintf("priorities[%d]", i)
		p := tcmis.Priority{Number: i + 1, Title: f.text(rp + ".title")}
		m := programmeRowCount(r.PostForm, `^`+regexp.QuoteMeta(rp)+`\.outcomes\[(\d+)\]`)
		for rj := 0; rj < m; rj++ {
			ro := fmt.Sprintf("%s.outcomes[%d]", rp, rj)
			empty := true
			for _, k := range programmeOutcomeFields {
				empty = empty && f.text(ro+"."+k) == ""
			}
			if empty {
				continue
			}
			of := fmt.Sprintf("%s.outcomes[%d]", pf, len(p.Outcomes))
			for _, k := range programmeOutcomeFields {
				out.Set(of+"."+k, f.text(ro+"."+k))
			}
			o := tcmis.CountryOutcome{Code: strings.ToUpper(f.text(ro + ".code")), Title: f.text(ro + ".title"),
				GlobalOutcomes: strings.FieldsFunc(f.text(ro+".global_outcomes"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })}
			if v := f.text(ro + ".planned_usd"); v != "" {
				cents, err := tcmis.ParseAmount(v, tcmis.USD)
				if err != nil {
					f.bad(of+".planned_usd", "%v", err)
				}
				o.Planned = cents
			}
			p.Outcomes = append(p.Outcomes, o)
		}
		if p.Title == "" && len(p.Outcomes) == 0 {
			continue
		}
		out.Set(pf+".title", p.Title)
		c.Priorities = append(c.Priorities, p)
	}
	return out, f.check("country programme "+c.Country, c.Validate)
}

func (s *Server) programmeNewForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	v := url.Values{"status": {string(tcmis.ProgrammeDraft)}, "undaf.status": {string(tcmis.NotInvolved)}, "prs.status": {string(tcmis.NotInvolved)}}
	if c := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("country"))); c != "" {
		v.Set("country", c)
	}
	s.render(w, r, http.StatusOK, "country_programme_form", s.newPage(w, r, u, "New country programme", "countries", newProgrammeForm(nil, v)))
	return nil
}

func (s *Server) programmeCreate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	c := &tcmis.CountryProgramme{}
	v, err := readProgramme(r, c)
	if err == nil {
		err = s.store.CreateProgramme(r.Context(), c)
	}
	if err != nil {
		if v == nil {
			return err
		}
		p := s.newPage(w, r, u, "New country programme", "countries", newProgrammeForm(nil, v))
		return s.refFormAgain(w, r, p, "country_programme_form", err)
	}
	return s.refSaved(w, r, refT(r, "Country programme %s added.", c.Title), "/countries/"+c.Country)
}

// findProgramme loads the programme of the route's {id}.
func (s *Server) findProgramme(r *http.Request) (*tcmis.CountryProgramme, error) {
	id, err := pathID(r, "country programme")
	if err != nil {
		return nil, err
	}
	c, err := s.store.FindProgrammeByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return nil, notFound("country programme")
	}
	return c, err
}

func (s *Server) programmeEditForm(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	c, err := s.findProgramme(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "country_programme_form", s.newPage(w, r, u, "Edit country programme", "countries", newProgrammeForm(c, programmeValues(c))))
	return nil
}

func (s *Server) programmeUpdate(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	old, err := s.findProgramme(r)
	if err != nil {
		return err
	}
	c := &tcmis.CountryProgramme{ID: old.ID}
	v, err := readProgramme(r, c)
	if err == nil {
		err = s.store.UpdateProgramme(r.Context(), c)
	}
	if err != nil {
		if v == nil {
			return err
		}
		p := s.newPage(w, r, u, "Edit country programme", "countries", newProgrammeForm(old, v))
		return s.refFormAgain(w, r, p, "country_programme_form", err)
	}
	return s.refSaved(w, r, refT(r, "Country programme %s saved.", c.Title), "/countries/"+c.Country)
}
