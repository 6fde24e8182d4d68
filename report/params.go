package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

// UnitFinder is what ParseParams asks to find offices by code.
type UnitFinder interface {
	FindUnits(ctx context.Context, f tcmis.UnitFilter) ([]*tcmis.Unit, int, error)
}

// The names ParseParams reads, as the command line's flags spell them.
const (
	KeyFrom      = "from"
	KeyTo        = "to"
	KeyBaseFrom  = "base-from"
	KeyBaseTo    = "base-to"
	KeySource    = "source"
	KeyRegion    = "region"
	KeyOffice    = "office"
	KeyCategory  = "category"
	KeyMonth     = "month"
	KeyBy        = "by"
	KeyThreshold = "threshold"
	KeyLimit     = "limit"
	KeyBiennium  = "biennium"
	KeyMeasure   = "measure"
	KeyAttribute = "attribute"
	KeyDate      = "date"
)

// ByChoices are the groupings of delivery and compliance (Params.By).
var ByChoices = []string{"region", "office", "unit", "source"}

// ParseParams reads a report's parameters from named values, such as a
// web form's query, with the rules of the command line's flags: a period
// given by one end only runs five years; a limit of 0 lists everything;
// sources, regions ("interregional" too), donor categories and offices (by
// unit code) may be repeated or comma-separated; month is YYYY-MM, date
// YYYY-MM-DD, threshold a per cent above 0 and at most 100; attribute is
// true or false as a form or a boolean flag says it. Empty values
// take the report's defaults. Every value that cannot be read is a problem
// named by its key, all of them in one EINVALID error. units is asked only
// when offices are given.
func ParseParams(ctx context.Context, units UnitFinder, q map[string][]string) (Params, error) {
	var p Params
	var ps []tcmis.Problem
	bad := func(key, format string, args ...any) {
		ps = append(ps, tcmis.Problem{Field: key, Message: fmt.Sprintf(format, args...)})
	}
	get := func(key string) string {
		if v := q[key]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	list := func(key string) []string {
		var out []string
		for _, v := range q[key] {
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		}
		return out
	}
	year := func(key string) int {
		s := get(key)
		if s == "" {
			return 0
		}
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2200 {
			bad(key, "%q is not a year: give one such as 2004", s)
			return 0
		}
		return y
	}

	p.From, p.To = year(KeyFrom), year(KeyTo)
	switch {
	case p.From != 0 && p.To == 0:
		p.To = p.From + 4
	case p.To != 0 && p.From == 0:
		p.From = p.To - 4
	case p.From != 0 && p.To < p.From:
		bad(KeyTo, "the period ends (%d) before it starts (%d)", p.To, p.From)
	}
	p.BaseFrom, p.BaseTo = year(KeyBaseFrom), year(KeyBaseTo)
	if p.BaseFrom != 0 && p.BaseTo != 0 && p.BaseTo < p.BaseFrom {
		bad(KeyBaseTo, "the period compared with ends (%d) before it starts (%d)", p.BaseTo, p.BaseFrom)
	}

	for _, v := range list(KeySource) {
		src, err := tcmis.ParseSource(v)
		if err != nil {
			bad(KeySource, "%v", err)
			continue
		}
		p.Sources = append(p.Sources, src)
	}
	for _, v := range list(KeyRegion) {
		if strings.EqualFold(v, tcmis.InterregionalRegion) {
			p.Regions = append(p.Regions, tcmis.InterregionalRegion)
			continue
		}
		reg, err := tcmis.ParseRegion(v)
		if err != nil {
			bad(KeyRegion, "%v (or interregional)", err)
			continue
		}
		p.Regions = append(p.Regions, string(reg))
	}
	for _, v := range list(KeyCategory) {
		c, err := tcmis.ParseDonorCategory(v)
		if err != nil {
			bad(KeyCategory, "%v", err)
			continue
		}
		p.Categories = append(p.Categories, c)
	}
	if codes := list(KeyOffice); len(codes) > 0 {
		all, _, err := units.FindUnits(ctx, tcmis.UnitFilter{})
		if err != nil {
			return p, err
		}
		for _, code := range codes {
			i := slices.IndexFunc(all, func(u *tcmis.Unit) bool { return strings.EqualFold(u.Code, code) })
			if i < 0 {
				bad(KeyOffice, "there is no office with code %q", code)
				continue
			}
			p.OfficeIDs = append(p.OfficeIDs, all[i].ID)
		}
	}

	if s := get(KeyMonth); s != "" {
		y, m, err := tcmis.ParseMonth(s)
		if err != nil {
			bad(KeyMonth, "%v", err)
		} else {
			p.Year, p.Month = y, m
		}
	}
	if s := get(KeyBy); s != "" {
		if !slices.Contains(ByChoices, s) {
			bad(KeyBy, "group by %s, not %q", strings.Join(ByChoices, ", "), s)
		} else {
			p.By = s
		}
	}
	if s := get(KeyThreshold); s != "" {
		t, err := tcmis.ParseThreshold(s)
		if err != nil {
			bad(KeyThreshold, "%v", err)
		} else {
			p.Threshold = &t
		}
	}
	if s := get(KeyLimit); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 0:
			bad(KeyLimit, "%q: give how many projects to list, or 0 for all", s)
		case n == 0:
			p.Limit = -1
		default:
			p.Limit = n
		}
	}
	if s := get(KeyBiennium); s != "" {
		b, err := tcmis.ParseBiennium(s)
		if err != nil {
			bad(KeyBiennium, "%v", err)
		} else {
			p.Biennium = b
		}
	}
	if s := get(KeyMeasure); s != "" {
		switch m := tcmis.Measure(s); m {
		case tcmis.MeasureExpenditure, tcmis.MeasureApprovals:
			p.Measure = m
		default:
			bad(KeyMeasure, "real terms are computed for expenditure or approvals, not %q", s)
		}
	}
	switch s := get(KeyAttribute); strings.ToLower(s) {
	case "", "off", "no":
	case "on", "yes":
		p.Attribute = true
	default:
		// As the command line's boolean flags read it: 1, t, true, 0, f, false.
		b, err := strconv.ParseBool(strings.ToLower(s))
		if err != nil {
			bad(KeyAttribute, "%q: give true or false", s)
		} else {
			p.Attribute = b
		}
	}
	if s := get(KeyDate); s != "" {
		d, err := tcmis.ParseDate(s)
		if err != nil {
			bad(KeyDate, "%v", err)
		} else {
			p.Today = d
		}
	}
	if len(ps) > 0 {
		return p, &tcmis.Error{Code: tcmis.EINVALID, Message: "the report's options are not valid", Problems: ps}
	}
	return p, nil
}
