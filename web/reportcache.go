package web

import (
	"context"
	"fmt"
	"sync"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

// reportCache keeps the reports made since the records last changed, so
// that the dashboard, read by everyone many times a day, costs one small
// query instead of five reports. Every write of the store records a change
// in the audit trail, in the same transaction, so the newest change's id
// tells whether the records moved, also when another process (an import
// from the command line) wrote them. The day is part of the key, since
// "overdue" depends on it.
type reportCache struct {
	mu      sync.Mutex
	version int64
	day     string
	reports map[string]*shownReport
}

// maxCachedReports bounds the cache: report pages with many filter
// combinations must not grow it without end.
const maxCachedReports = 200

// cachedReport returns the report from the cache, or makes it.
func (s *Server) cachedReport(ctx context.Context, name string, p report.Params) (*shownReport, error) {
	version, err := s.store.LatestChange(ctx)
	if err != nil {
		return nil, err
	}
	day := s.cfg.Now().UTC().Format(tcmis.DateLayout)
	key := fmt.Sprintf("%s %+v", name, p)
	c := &s.reports
	c.mu.Lock()
	if c.version != version || c.day != day || len(c.reports) >= maxCachedReports {
		c.version, c.day, c.reports = version, day, map[string]*shownReport{}
	}
	r, ok := c.reports[key]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	if r, err = s.runReport(ctx, name, p); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.version == version && c.day == day {
		c.reports[key] = r
	}
	c.mu.Unlock()
	return r, nil
}
