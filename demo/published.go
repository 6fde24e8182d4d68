package demo

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/tcmis/tcmis"
)

// Annex 2 of International Labour Office, "The role of the ILO in technical
// cooperation", International Labour Conference, 95th Session, 2006: the
// approvals of 2000-2004 by donor and year, in whole US dollars (see
// data/README.md).
//
//go:embed data/approvals-2000-2004.csv
var publishedCSV []byte

// A published approval is one cell of Annex 2.
type published struct {
	year   int
	donor  int // index in donors
	amount int64
}

// readPublished reads the embedded annex and checks that every donor and
// category in it is one of the portfolio's.
func readPublished() ([]published, error) {
	r := csv.NewReader(bytes.NewReader(publishedCSV))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("data/approvals-2000-2004.csv: %w", err)
	}
	var out []published
	for i, row := range rows {
		if i == 0 {
			continue
		}
		if len(row) < 5 {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: %d fields, want 6", i+1, len(row))
		}
		year, err := strconv.Atoi(row[0])
		if err != nil {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: year %q: %v", i+1, row[0], err)
		}
		d := donorIndex(row[1])
		if d < 0 {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: donor %q is not in the demo's donor list", i+1, row[1])
		}
		cat, err := tcmis.ParseDonorCategory(row[2])
		if err != nil {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: %v", i+1, err)
		}
		if cat != donors[d].category {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: %s is %s in the annex but %s in the demo", i+1, row[1], cat, donors[d].category)
		}
		amount, err := strconv.ParseInt(row[3], 10, 64)
		if err != nil || amount <= 0 {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: amount %q is not a positive whole number of dollars", i+1, row[3])
		}
		if row[4] != tcmis.USD {
			return nil, fmt.Errorf("data/approvals-2000-2004.csv line %d: currency %q, want USD", i+1, row[4])
		}
		out = append(out, published{year: year, donor: d, amount: amount})
	}
	return out, nil
}
