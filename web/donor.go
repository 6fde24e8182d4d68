package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// refSums sums a measure by one dimension, by key.
func (s *Server) refSums(ctx context.Context, m tcmis.Measure, by tcmis.Dimension, f tcmis.StatsFilter) (map[string]int64, error) {
	out := map[string]int64{}
	sums, err := s.store.SumMoney(ctx, tcmis.MoneyQuery{Measure: m, By: []tcmis.Dimension{by}, Filter: f})
	if err != nil {
		return nil, err
	}
	for _, x := range sums {
		out[x.Keys[0]] += x.Amount
	}
	return out, nil
}

// yearSum is one year of a measure, in US cents.
type yearSum struct {
	Year   int
	Amount int64
}

// refByYear sums a measure by year, oldest first.
func (s *Server) refByYear(ctx context.Context, m tcmis.Measure, f tcmis.StatsFilter) ([]yearSum, int64, error) {
	sums, err := s.refSums(ctx, m, tcmis.ByYear, f)
	if err != nil {
		return nil, 0, err
	}
	var out []yearSum
	var total int64
	for k, v := range sums {
		y, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		out = append(out, yearSum{Year: y, Amount: v})
		total += v
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, total, nil
}

type donorRow struct {
	Donor      *tcmis.Organisation
	Agreements int
	Approved   int64
}

type donorListData struct {
	Rows       []donorRow
	Total      int
	Page       int
	Pages      int
	Categories []refOption
}

// donorList lists the donors and partners, by name, with their
// agreements and approvals; filtered by category and by words of the
// name.
func (s *Server) donorList(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := tcmis.OrganisationFilter{}
	if v := q.Get("category"); v != "" {
		c, err := tcmis.ParseDonorCategory(v)
		if err != nil {
			return &tcmis.Error{Code: tcmis.EINVALID, Message: "the donor list's filters", Problems: []tcmis.Problem{{Field: "category", Message: err.Error()}}}
		}
		f.Category = &c
	}
	orgs, _, err := s.store.FindOrganisations(ctx, f)
	if err != nil {
		return err
	}
	if words := strings.Fields(strings.ToLower(q.Get("q"))); len(words) > 0 {
		kept := orgs[:0]
		for _, o := range orgs {
			name := strings.ToLower(o.Name + " " + o.Ref)
			all := true
			for _, w := range words {
				all = all && strings.Contains(name, w)
			}
			if all {
				kept = append(kept, o)
			}
		}
		orgs = kept
	}
	d := &donorListData{Total: len(orgs), Categories: refCategoryOptions()}
	var offset int
	d.Page, offset = refListPage(q)
	d.Pages = refPages(d.Total)
	orgs = orgs[min(offset, len(orgs)):min(offset+pageSize, len(orgs))]

	approved, err := s.refSums(ctx, tcmis.MeasureApprovals, tcmis.ByDonor, tcmis.StatsFilter{})
	if err != nil {
		return err
	}
	agreements, _, err := s.store.FindAgreements(ctx, tcmis.AgreementFilter{})
	if err != nil {
		return err
	}
	count := map[int64]int{}
	for _, a := range agreements {
		count[a.DonorID]++
	}
	for _, o := range orgs {
		d.Rows = append(d.Rows, donorRow{Donor: o, Agreements: count[o.ID], Approved: approved[strconv.FormatInt(o.ID, 10)]})
	}
	s.render(w, r, http.StatusOK, "donors", s.newPage(w, r, u, "Donors", "donors", d))
	return nil
}

type donorPageData struct {
	Donor      *tcmis.Organisation
	TypeName   string
	Agreements []*tcmis.Agreement
	Projects   []*tcmis.Project
	// ProjectsTotal is how many projects the donor funds; Projects are
	// the first of them.
	ProjectsTotal int
	Approvals     []yearSum
	Approved      int64
}

// donorPage shows a donor: its facts, agreements, projects and approvals
// by year.
func (s *Server) donorPage(w http.ResponseWriter, r *http.Request, u *tcmis.User) error {
	ctx := r.Context()
	o, err := s.findDonor(r)
	if err != nil {
		return err
	}
	d := &donorPageData{Donor: o}
	if o.Type != "" {
		d.TypeName = tcmis.LookupCodelist(tcmis.ListOrganisationType).NameOf(o.Type)
	}
	if d.Agreements, _, err = s.store.FindAgreements(ctx, tcmis.AgreementFilter{DonorID: &o.ID}); err != nil {
		return err
	}
	if d.Projects, d.ProjectsTotal, err = s.store.FindProjects(ctx, tcmis.ProjectFilter{DonorID: &o.ID, Limit: pageSize}); err != nil {
		return err
	}
	if d.Approvals, d.Approved, err = s.refByYear(ctx, tcmis.MeasureApprovals, tcmis.StatsFilter{DonorIDs: []int64{o.ID}}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "donor", s.newPage(w, r, u, o.Name, "donors", d))
	return nil
}

// findDonor loads the organisation of the route's {id}.
func (s *Server) findDonor(r *http.Request) (*tcmis.Organisation, error) {
	id, err := pathID(r, "donor")
	if err != nil {
		return nil, err
	}
	o, err := s.store.FindOrganisationByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND {
		return nil, notFound("donor")
	}
	return o, err
}
