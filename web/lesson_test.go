package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tcmis/tcmis"
)

func TestLessonSearch(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	all, total, err := a.DB.FindLessons(ctx, tcmis.LessonFilter{})
	if err != nil || total < 2 {
		t.Fatal(err)
	}
	c := a.as(tcmis.RoleViewer)
	c.get("/lessons").must(t, 200).contains(t, fmt.Sprintf("%d lessons", total))

	// Search by a word of one lesson that another lacks.
	l := all[0]
	var word string
	var other *tcmis.Lesson
	for _, w := range strings.Fields(l.Title) {
		if len(w) < 6 {
			continue
		}
		for _, x := range all {
			if !strings.Contains(strings.ToLower(x.Title+" "+x.Text), strings.ToLower(w)) {
				word, other = w, x
				break
			}
		}
		if word != "" {
			break
		}
	}
	if word == "" {
		t.Fatalf("no word of %q to search", l.Title)
	}
	found, n, err := a.DB.FindLessons(ctx, tcmis.LessonFilter{Search: word})
	if err != nil {
		t.Fatal(err)
	}
	e, err := a.DB.FindEvaluationByID(ctx, l.EvaluationID)
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/lessons?q="+url.QueryEscape(word)).must(t, 200)
	res.contains(t, fmt.Sprintf("%d lessons", n), refEsc(found[0].Title), refEsc(l.Title),
		fmt.Sprintf(`href="/evaluations/%d"`, e.ID), refEsc(e.Title))
	if e.ProjectID != 0 {
		res.contains(t, fmt.Sprintf(`href="/projects/%d"`, e.ProjectID))
	}
	if strings.Contains(res.Body, "<h2>"+refEsc(other.Title)+" ") {
		t.Errorf("searching %q finds %q", word, other.Title)
	}

	// Filters by country, theme and objective.
	for _, x := range []struct {
		query string
		f     tcmis.LessonFilter
	}{
		{"country=" + l.Country, tcmis.LessonFilter{Country: &l.Country}},
		{"theme=" + url.QueryEscape(l.Theme), tcmis.LessonFilter{Theme: &l.Theme}},
		{"objective=" + string(l.Objective), tcmis.LessonFilter{Objective: &l.Objective}},
	} {
		_, want, err := a.DB.FindLessons(ctx, x.f)
		if err != nil {
			t.Fatal(err)
		}
		if want == total {
			t.Errorf("%s keeps every lesson: the test needs one that filters", x.query)
		}
		c.get("/lessons?"+x.query).must(t, 200).contains(t, fmt.Sprintf("%d lessons", want), refEsc(l.Title))
	}
	c.get("/lessons?objective=none").must(t, 422)
	c.get("/lessons?q=zzzqqqxxx").must(t, 200).contains(t, "No lesson matches this search.")
}

func TestLessonAccess(t *testing.T) {
	a := newApp(t)
	refCheckAccess(t, a, []refAccess{
		{tcmis.RoleViewer, "GET", "/lessons", 200},
		{tcmis.RoleProgrammeOfficer, "GET", "/lessons?q=child", 200},
		{tcmis.RoleDonorViewer, "GET", "/lessons", 403},
		{tcmis.RoleDonorViewer, "GET", "/lessons?q=child", 403},
	})
}
