package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis"
)

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// pathID reads the {id} of a route; a malformed one is a page not found.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, notFound(what)
	}
	return id, nil
}

// donorNames fills names with every organisation's name, by id.
func (s *Server) donorNames(r *http.Request, names map[int64]string) error {
	orgs, err := s.organisationsByID(r)
	if err != nil {
		return err
	}
	for id, o := range orgs {
		names[id] = o.Name
	}
	return nil
}

// unitNames fills names with every unit's and office's name, by id.
func (s *Server) unitNames(r *http.Request, names map[int64]string) error {
	units, _, err := s.store.FindUnits(r.Context(), tcmis.UnitFilter{Limit: 0})
	if err != nil {
		return err
	}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return nil
}

// visibleProject loads a project the user may see; another donor's
// project is "not found" for a donor viewer.
func (s *Server) visibleProject(r *http.Request, u *tcmis.User) (*tcmis.Project, error) {
	id, err := pathID(r, "project")
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindProjectByID(r.Context(), id)
	if tcmis.ErrorCode(err) == tcmis.ENOTFOUND || (err == nil && !u.CanSeeProject(p)) {
		return nil, notFound("project")
	}
	return p, err
}
