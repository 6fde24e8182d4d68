package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/tcmis/tcmis"
)

// BenchmarkPages measures the pages users open most, through the whole
// handler stack (session lookup, permission, store, template) over
// loopback HTTP, one request at a time and with as many in parallel as
// GOMAXPROCS (-cpu). scripts/bench-web.sh measures them under 50 users.
func BenchmarkPages(b *testing.B) {
	a := newApp(b)
	first, _, err := a.DB.FindProjects(b.Context(), tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, page := range []struct{ name, path string }{
		{"dashboard", "/"},
		{"projects", "/projects"},
		{"project", "/projects/" + strconv.FormatInt(first[0].ID, 10)},
	} {
		b.Run(page.name, func(b *testing.B) {
			c := a.as(tcmis.RoleViewer)
			c.get(page.path).must(b, http.StatusOK)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if res := c.get(page.path); res.Status != http.StatusOK {
						b.Errorf("status %d", res.Status)
					}
				}
			})
		})
	}
}
