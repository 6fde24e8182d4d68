package main_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati/validate"
	"github.com/tcmis/tcmis/render"
	"github.com/tcmis/tcmis/report"
	"github.com/tcmis/tcmis/sqldb"
)

// The scenarios of issue #4, each in its own browser on its own served
// demo: they drive the screens as a person does (reading labels, typing,
// choosing, clicking) and check what the screens say against the store.

// TestBrowserCreateProject: an administrator creates a project through
// the form, makes a mistake first and sees it next to the field.
func TestBrowserCreateProject(t *testing.T) {
	s := serveDemo(t)
	db := store(t, s.DSN)
	first := firstProject(t, db)
	unit, err := db.FindUnitByID(context.Background(), first.LeadUnitID)
	if err != nil {
		t.Fatal(err)
	}
	donor, err := db.FindOrganisationByID(context.Background(), first.DonorIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	const code, title = "GHA/27/01/BRW", "Decent jobs for young people in Ghana"
	if _, err := db.FindProjectByCode(context.Background(), code); tcmis.ErrorCode(err) != tcmis.ENOTFOUND {
		t.Fatalf("project %s before the test: %v", code, err)
	}

	ctx := browser(t)
	signIn(t, ctx, s, "admin@example.org")
	clickTo(t, ctx, "open projects", `nav#nav a[href="/projects"]`)
	clickTo(t, ctx, "new project", link("New project"))
	if h := text(t, ctx, "h1"); h != "New project" {
		t.Fatalf("the form's heading is %q", h)
	}
	shot(t, ctx, "empty-form")

	form := "form.project-form"
	fill(t, ctx, form, "Code", code)
	fill(t, ctx, form, "Title", title)
	choose(t, ctx, form, "Source of funds", tcmis.XBTC.Label())
	choose(t, ctx, form, "Scope", tcmis.National.Label())
	choose(t, ctx, form, "Lead donor", donor.Name)
	choose(t, ctx, form, "Lead unit", unit.Name)
	fillDate(t, ctx, form, "Start date", "2027-01-01")
	fillDate(t, ctx, form, "End date", "2026-06-30") // the mistake: it ends before it starts
	fill(t, ctx, form, "Currency", "USD")
	fill(t, ctx, ".share-row:has(#country_0)", "Country 1", "GH")
	fill(t, ctx, ".share-row:has(#country_0)", "Share (%)", "100")
	choose(t, ctx, ".share-row:has(#objective_0)", "Strategic objective 1", tcmis.Objective("so2").Label())
	fill(t, ctx, ".share-row:has(#objective_0)", "Share (%)", "100")
	fill(t, ctx, form, tcmis.InternationalExperts.Label(), "150000")
	shot(t, ctx, "filled-with-mistake")

	if st := clickTo(t, ctx, "create with the mistake", button("Create project")); st != 422 {
		t.Errorf("a project ending before it starts: status %d, want 422", st)
	}
	end := field(t, ctx, form, "End date")
	if got := attr(t, ctx, end, "aria-invalid"); got != "true" {
		t.Errorf("the end date has aria-invalid=%q, want true", got)
	}
	msgID := attr(t, ctx, end, "aria-describedby")
	if msgID == "" {
		t.Fatal("the end date's message is not tied to it with aria-describedby")
	}
	if msg := text(t, ctx, "#"+msgID); !strings.Contains(msg, "must come after the start date") {
		t.Errorf("the message next to the end date is %q", msg)
	}
	if got := attr(t, ctx, field(t, ctx, form, "Start date"), "aria-invalid"); got == "true" {
		t.Error("the start date is marked invalid too")
	}
	if got := value(t, ctx, field(t, ctx, form, "Title")); got != title {
		t.Errorf("the form came back with the title %q, want what was typed, %q", got, title)
	}
	shot(t, ctx, "inline-error")

	act(t, ctx, "clear the end date", chromedp.Clear(end))
	fillDate(t, ctx, form, "End date", "2028-12-31")
	if st := clickTo(t, ctx, "create", button("Create project")); st != 200 {
		t.Errorf("creating the project: status %d", st)
	}
	if h := text(t, ctx, "h1"); !strings.Contains(h, title) || !strings.Contains(h, code) {
		t.Errorf("the page after creating shows %q, want the project %s %s", h, code, title)
	}
	if f := text(t, ctx, ".flash"); !strings.Contains(f, code) {
		t.Errorf("the message after creating is %q", f)
	}
	shot(t, ctx, "created")

	p, err := db.FindProjectByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("the new project is not in the store: %v", err)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/projects/"+strconv.FormatInt(p.ID, 10)) {
		t.Errorf("after creating, the browser is at %s, want the project's page", loc)
	}
	if p.Title != title || p.Source != tcmis.XBTC || p.LeadUnitID != unit.ID || !slices.Equal(p.DonorIDs, []int64{donor.ID}) ||
		p.Start.Format(tcmis.DateLayout) != "2027-01-01" || p.End.Format(tcmis.DateLayout) != "2028-12-31" || p.Currency != "USD" {
		t.Errorf("stored project: %+v", p)
	}
	if len(p.Countries) != 1 || p.Countries[0].Country != "GH" || p.Countries[0].Percent != tcmis.Whole {
		t.Errorf("stored countries: %+v", p.Countries)
	}
	if len(p.Objectives) != 1 || p.Objectives[0].Objective != "so2" || p.Objectives[0].Percent != tcmis.Whole {
		t.Errorf("stored objectives: %+v", p.Objectives)
	}
	if want := []tcmis.BudgetLine{{Type: tcmis.InternationalExperts, Amount: 15000000}}; !slices.Equal(p.Budget, want) {
		t.Errorf("stored budget %+v, want %+v", p.Budget, want)
	}
}

// TestBrowserExpenditureChangesDeliveryRate: the programme officer of a
// project's unit enters expenditure and sees the year's delivery rate move
// to what the store now gives.
func TestBrowserExpenditureChangesDeliveryRate(t *testing.T) {
	s := serveDemo(t)
	db := store(t, s.DSN)
	p := firstProject(t, db)
	y := yearFinance(t, db, p.ID, 0)
	if y.Year == 0 {
		t.Fatalf("project %s has no year with an allocation", p.Code)
	}
	rateID := fmt.Sprintf("#delivery-rate-%d", y.Year)

	ctx := browser(t)
	signIn(t, ctx, s, "officer@example.org")
	clickTo(t, ctx, "open projects", `nav#nav a[href="/projects"]`)
	fill(t, ctx, "form.filters", "Search", p.Code)
	clickTo(t, ctx, "search", button("Filter"))
	clickTo(t, ctx, "open the project", fmt.Sprintf(`//table[@id="project-list"]//a[normalize-space()=%q]`, p.Code))
	clickTo(t, ctx, "open the year", fmt.Sprintf(`//table[@id="finance"]//a[normalize-space()="%d"]`, y.Year))
	before := text(t, ctx, rateID)
	if want := percent(tcmis.DeliveryRate(y.Spent, y.Allocated)); before != want {
		t.Errorf("delivery rate of %d before: %q, the store gives %q", y.Year, before, want)
	}
	shot(t, ctx, "before")

	// A tenth of the year's allocation, in whole dollars: enough to move
	// the rate shown to one decimal.
	amount := y.Allocated / 10 / 100
	form := "#expenditure-form"
	if got := value(t, ctx, field(t, ctx, form, "Year")); got != strconv.Itoa(y.Year) {
		t.Errorf("the expenditure form's year is %q, want the year shown, %d", got, y.Year)
	}
	choose(t, ctx, form, "Month", "December")
	choose(t, ctx, form, "Type of assistance", tcmis.Training.Label())
	fill(t, ctx, form, "Amount", strconv.FormatInt(amount, 10))
	fill(t, ctx, form, "Currency", "USD")
	shot(t, ctx, "entered")
	if st := clickTo(t, ctx, "record the expenditure", button("Record expenditure")); st != 200 {
		t.Errorf("recording the expenditure: status %d", st)
	}

	after := yearFinance(t, db, p.ID, y.Year)
	if after.Spent != y.Spent+amount*100 {
		t.Fatalf("spent in %d: %d cents after, %d before: want %d more", y.Year, after.Spent, y.Spent, amount*100)
	}
	got := text(t, ctx, rateID)
	if want := percent(tcmis.DeliveryRate(after.Spent, after.Allocated)); got != want {
		t.Errorf("delivery rate of %d after: %q, the store gives %q", y.Year, got, want)
	}
	if got == before {
		t.Errorf("the delivery rate stayed at %s", before)
	}
	if got, want := text(t, ctx, fmt.Sprintf("#spent-%d", y.Year)), usd(after.Spent); got != want {
		t.Errorf("spent in %d shown as %q, want %q", y.Year, got, want)
	}
	shot(t, ctx, "after")
}

// TestBrowserReportDownload: a viewer opens a report, changes its period,
// sees the table and the chart, and downloads the CSV the report makes.
func TestBrowserReportDownload(t *testing.T) {
	s := serveDemo(t)
	db := store(t, s.DSN)
	const name = "approvals-by-source"
	def, ok := report.Lookup(name)
	if !ok {
		t.Fatalf("no report %s", name)
	}
	ctx := browser(t)
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads, EventsEnabled: new(true),
	}); err != nil {
		t.Fatalf("download behaviour: %v", err)
	}
	signIn(t, ctx, s, "viewer@example.org")
	clickTo(t, ctx, "open reports", `nav#nav a[href="/reports"]`)
	shot(t, ctx, "list")
	clickTo(t, ctx, "open the report", link(def.Title))
	if h := text(t, ctx, "h1"); h != def.Title {
		t.Fatalf("the report's heading is %q, want %q", h, def.Title)
	}
	form := "form.report-filters"
	fill(t, ctx, form, "From year", "2002")
	fill(t, ctx, form, "To year", "2004")
	if st := clickTo(t, ctx, "show", button("Show")); st != 200 {
		t.Fatalf("the report for 2002-2004: status %d", st)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "from=2002") || !strings.Contains(loc, "to=2004") {
		t.Errorf("the report's address %s does not keep the period", loc)
	}

	q := url.Values{"from": {"2002"}, "to": {"2004"}}
	params, err := report.ParseParams(context.Background(), db, q)
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.Run(context.Background(), db, name, params)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Rows) == 0 {
		t.Fatal("the report has no rows: the test proves nothing")
	}
	rows := eval[int](t, ctx, `document.querySelectorAll("table.report tbody tr").length`)
	if rows != len(want.Rows) {
		t.Errorf("the table shows %d rows, the report has %d", rows, len(want.Rows))
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("figure.chart svg").length`); n != 1 {
		t.Errorf("%d charts (svg) on the page, want 1", n)
	}
	act(t, ctx, "see the chart", chromedp.WaitVisible(`figure.chart svg`))
	shot(t, ctx, "report")

	var wantCSV bytes.Buffer
	if err := render.CSV(&wantCSV, want); err != nil {
		t.Fatal(err)
	}
	// The real download: Chromium saves the file the CSV link sends.
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	progress := chromedp.BrowserEvents(dctx, cdpbrowser.DownloadProgress)
	act(t, ctx, "download CSV", chromedp.Click(`//p[contains(@class, "summary")]//a[normalize-space()="CSV"]`))
	var path string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			path = ev.FilePath
			break
		}
	}
	if path == "" {
		path = filepath.Join(downloads, name+".csv")
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the downloaded file: %v", err)
	}
	if filepath.Base(path) != name+".csv" {
		t.Errorf("the download is named %s, want %s.csv", filepath.Base(path), name)
	}
	gotLines, wantLines := strings.SplitN(string(got), "\n", 2), strings.SplitN(wantCSV.String(), "\n", 2)
	if gotLines[0] != wantLines[0] {
		t.Errorf("the CSV's first line is %q, want %q", gotLines[0], wantLines[0])
	}
	// A figure: the last column of the last row (the total), as report.Run
	// makes it on the same database.
	recs, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil || len(recs) != len(want.Rows)+1 {
		t.Fatalf("the CSV has %d records (%v), want a header and %d rows", len(recs), err, len(want.Rows))
	}
	last := want.Rows[len(want.Rows)-1]
	col := len(want.Columns) - 1
	if g, w := recs[len(recs)-1][col], want.Columns[col].Plain(last.Cells[col]); g != w {
		t.Errorf("the CSV's last figure is %q, report.Run gives %q", g, w)
	}
	if !bytes.Equal(got, wantCSV.Bytes()) {
		t.Errorf("the downloaded CSV differs from the report:\n%s\nwant:\n%s", got, wantCSV.String())
	}
}

// TestBrowserIATIUploadErrors: an administrator uploads a broken IATI file
// and reads its errors with their lines, then imports a published file.
func TestBrowserIATIUploadErrors(t *testing.T) {
	s := serveDemo(t)
	db := store(t, s.DSN)
	broken := filepath.Join(t.TempDir(), "broken-activity.xml")
	if err := os.WriteFile(broken, []byte(brokenIATI), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := validate.New(validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.Validate(strings.NewReader(brokenIATI), "broken-activity.xml")
	if rep == nil || len(rep.Problems) == 0 {
		t.Fatalf("the validator finds nothing wrong in the broken file (%v): the test proves nothing", err)
	}

	ctx := browser(t)
	signIn(t, ctx, s, "admin@example.org")
	clickTo(t, ctx, "open IATI", `nav#nav a[href="/iati"]`)
	shot(t, ctx, "home")
	upload(t, ctx, broken)
	shot(t, ctx, "broken-report")

	if st := text(t, ctx, ".iati-summary .status"); !strings.Contains(st, "Not imported") {
		t.Errorf("the broken file's outcome is %q", st)
	}
	// The import's errors, by line: the activity without identifier starts
	// on line 3, the impossible date is on line 15.
	errs := tableRows(t, ctx, "#iati-errors")
	for _, w := range []struct{ line, text string }{{"3", "iati-identifier"}, {"15", "2019-02-30"}} {
		if !slices.ContainsFunc(errs, func(r []string) bool { return r[0] == w.line && strings.Contains(strings.Join(r, " "), w.text) }) {
			t.Errorf("no error at line %s about %s in %q", w.line, w.text, errs)
		}
	}
	// The validation report lists what the validator finds, with lines.
	probs := tableRows(t, ctx, "#iati-problems")
	if len(probs) != len(rep.Problems) {
		t.Errorf("%d problems listed, the validator finds %d: %q", len(probs), len(rep.Problems), probs)
	}
	for _, p := range rep.Problems {
		if !slices.ContainsFunc(probs, func(r []string) bool {
			return r[0] == strconv.Itoa(p.Line) && r[1] == strconv.Itoa(p.Column) && strings.Contains(r[5], p.Message)
		}) {
			t.Errorf("problem %d:%d %q is not listed: %q", p.Line, p.Column, p.Message, probs)
		}
	}
	_, before, err := db.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}

	clickTo(t, ctx, "back to IATI", link("Back to IATI"))
	upload(t, ctx, filepath.Join("..", "..", "..", "shared", "iati", "samples", "iom-2.03.xml"))
	if n := text(t, ctx, "#iati-activities"); n != "577" {
		t.Errorf("activities of the IOM file: %q, want 577", n)
	}
	if st := text(t, ctx, ".iati-summary .status"); st != "Imported" {
		t.Errorf("the IOM file's outcome is %q", st)
	}
	_, after, err := db.FindProjects(context.Background(), tcmis.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if after-before != 577 {
		t.Errorf("%d projects before the import, %d after: want 577 more", before, after)
	}
	shot(t, ctx, "imported")
}

// TestBrowserDonorViewerScope: a donor viewer, signing in with the
// keyboard only, sees its donor's projects and nothing of the others.
func TestBrowserDonorViewerScope(t *testing.T) {
	s := serveDemo(t)
	db := store(t, s.DSN)
	_, donorID := demoScope(t, s.DSN)
	donor, _ := strconv.ParseInt(donorID, 10, 64)
	all, _, err := db.FindProjects(context.Background(), tcmis.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var mine, others []*tcmis.Project
	for _, p := range all {
		if slices.Contains(p.DonorIDs, donor) {
			mine = append(mine, p)
		} else {
			others = append(others, p)
		}
	}
	if len(mine) == 0 || len(others) == 0 {
		t.Fatalf("%d projects of the donor, %d of others: the test proves nothing", len(mine), len(others))
	}

	ctx := browser(t)
	signInWithKeyboard(t, ctx, s, "donor@example.org")
	if h := text(t, ctx, "h1"); h != "Dashboard" {
		t.Errorf("after signing in the page is %q", h)
	}
	menu := eval[[]string](t, ctx, `[...document.querySelectorAll("nav#nav a")].map(a => a.textContent.trim())`)
	for _, item := range []string{"Dashboard", "Projects", "Reports"} {
		if !slices.Contains(menu, item) {
			t.Errorf("the donor viewer's menu %q lacks %s", menu, item)
		}
	}
	for _, item := range []string{"Donors", "Countries", "Results", "Evaluations", "Lessons", "IATI", "Administration"} {
		if slices.Contains(menu, item) {
			t.Errorf("the donor viewer's menu %q has %s, internal to the organisation", menu, item)
		}
	}
	shot(t, ctx, "dashboard")

	clickTo(t, ctx, "open projects", `nav#nav a[href="/projects"]`)
	if sum, want := text(t, ctx, ".summary"), fmt.Sprintf("%d projects", len(mine)); !strings.HasPrefix(sum, want) {
		t.Errorf("the donor viewer's list says %q, want %q (the projects its donor funds)", sum, want)
	}
	codes := eval[[]string](t, ctx, `[...document.querySelectorAll("#project-list tbody td:first-child a")].map(a => a.textContent.trim())`)
	if len(codes) == 0 {
		t.Error("the donor viewer's list is empty")
	}
	for _, c := range codes {
		if !slices.ContainsFunc(mine, func(p *tcmis.Project) bool { return p.Code == c }) {
			t.Errorf("the donor viewer sees project %s, which its donor does not fund", c)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("select#donor").length`); n != 0 {
		t.Error("the donor viewer's list offers a choice of donor")
	}
	shot(t, ctx, "projects")

	other := others[0]
	if st := load(t, ctx, "open another donor's project", chromedp.Navigate(s.URL+"/projects/"+strconv.FormatInt(other.ID, 10))); st != 404 {
		t.Errorf("another donor's project: status %d, want 404", st)
	}
	if h := text(t, ctx, "h1"); h != "Not found" {
		t.Errorf("another donor's project shows %q, want the not-found page", h)
	}
	if body := text(t, ctx, "main"); strings.Contains(body, other.Title) || strings.Contains(body, other.Code) {
		t.Errorf("the not-found page names the project: %q", body)
	}
	shot(t, ctx, "not-found")
	if st := load(t, ctx, "open its own donor's project", chromedp.Navigate(s.URL+"/projects/"+strconv.FormatInt(mine[0].ID, 10))); st != 200 {
		t.Errorf("its own donor's project: status %d, want 200", st)
	}
}

// signInWithKeyboard signs in as a keyboard user: the e-mail field has the
// focus, Tab goes to the password and then to the button, Enter submits.
func signInWithKeyboard(t *testing.T, ctx context.Context, s *site, email string) {
	t.Helper()
	focused := func() string {
		return eval[string](t, ctx, `(e => e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.type ? "[" + e.type + "]" : "") + ":" + e.textContent.trim() : "")(document.activeElement)`)
	}
	act(t, ctx, "open sign-in", chromedp.Navigate(s.URL+"/signin"), chromedp.WaitVisible(`#email`))
	if f := focused(); f != "input#email[email]:" {
		t.Errorf("on the sign-in page the focus is on %q, want the e-mail field", f)
	}
	act(t, ctx, "type the e-mail", chromedp.KeyEvent(email), chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "input#password[password]:" {
		t.Errorf("after Tab the focus is on %q, want the password", f)
	}
	act(t, ctx, "type the password", chromedp.KeyEvent(browserPassword), chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "button[submit]:Sign in" {
		t.Errorf("after the second Tab the focus is on %q, want the Sign in button", f)
	}
	act(t, ctx, "back to the password", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if f := focused(); f != "input#password[password]:" {
		t.Errorf("after Shift+Tab the focus is on %q, want the password", f)
	}
	if v := value(t, ctx, "#email"); v != email {
		t.Errorf("the e-mail field holds %q", v)
	}
	shot(t, ctx, "signin-keyboard")
	if st := load(t, ctx, "press Enter", chromedp.KeyEvent(kb.Enter)); st != 200 {
		t.Errorf("signing in with Enter: status %d", st)
	}
	act(t, ctx, "signed in", chromedp.WaitVisible(`nav#nav`))
}

// upload sends a file with the IATI import form and waits for the job's
// report, through the progress page.
func upload(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	form := `form[action="/iati/imports"]`
	file := field(t, ctx, form, "IATI XML file (up to 1 GB)")
	act(t, ctx, "choose "+filepath.Base(path), chromedp.SetUploadFiles(file, []string{abs}))
	if st := clickTo(t, ctx, "import "+filepath.Base(path), `//form[@action="/iati/imports"]//button[normalize-space()="Import"]`); st != 200 {
		t.Errorf("uploading %s: status %d", path, st)
	}
	// The page polls the job and reloads itself when it is done: the
	// progress is there to see only while the job runs (and the page may
	// be reloading at this moment, so an error here is not one).
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("[data-job] progress").length`)); err == nil && n == 1 {
		// A picture of the progress if the page holds still long enough:
		// the page reloads itself when the job ends, which can cut a
		// screenshot short.
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)); err == nil {
			name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()) + "-progress-" + filepath.Base(path) + ".png"
			if err := os.WriteFile(filepath.Join(artifacts(t), name), png, 0o644); err != nil {
				t.Error(err)
			}
		}
		cancel()
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(`section.iati-summary`)); err != nil {
		shot(t, ctx, "job-failed")
		t.Fatalf("the report of %s did not come: %v", path, err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "/iati/imports/") {
		t.Fatalf("the report of %s is at %s, want the job's page", path, loc)
	}
}

const brokenIATI = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-11-30T10:00:00Z">
  <iati-activity default-currency="USD" xml:lang="en">
    <reporting-org ref="XM-DAC-41302" type="40">
      <narrative>Test organisation</narrative>
    </reporting-org>
    <title>
      <narrative>An activity without its identifier</narrative>
    </title>
    <description>
      <narrative>Broken on purpose.</narrative>
    </description>
    <participating-org role="1" ref="XM-DAC-41302" type="40"/>
    <activity-status code="2"/>
    <activity-date iso-date="2019-02-30" type="1"/>
    <recipient-country code="GH" percentage="100"/>
    <sector vocabulary="1" code="16020" percentage="100"/>
  </iati-activity>
</iati-activities>
`

// store opens the served database, to check what the screens did.
func store(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// firstProject is the demo's first project by code, whose lead unit the
// programme officer manages and whose lead donor the donor viewer sees.
func firstProject(t *testing.T, db *sqldb.DB) *tcmis.Project {
	t.Helper()
	ps, _, err := db.FindProjects(context.Background(), tcmis.ProjectFilter{Sort: "code", Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("the demo's first project: %v", err)
	}
	return ps[0]
}

// yearFinance is a project's money in a year, or (year 0) in its latest
// year with an allocation.
func yearFinance(t *testing.T, db *sqldb.DB, id int64, year int) tcmis.YearFinance {
	t.Helper()
	fin, err := db.ProjectFinance(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var found tcmis.YearFinance
	for _, y := range fin {
		if (year == 0 && y.Allocated > 0) || y.Year == year {
			found = y
		}
	}
	return found
}

// percent and usd format as the screens do in English: one decimal and a
// per cent sign; whole dollars with commas.
func percent(pc tcmis.Percent, ok bool) string {
	if !ok {
		return "–"
	}
	tenths := (int64(pc) + 5) / 10
	return group(tenths/10) + "." + strconv.FormatInt(tenths%10, 10) + "%"
}

func usd(cents int64) string {
	d := cents / 100
	if cents%100 >= 50 {
		d++
	}
	return group(d)
}

func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// clickTo clicks the link or button a selector finds and waits for the
// page it loads; it returns the page's HTTP status.
func clickTo(t *testing.T, ctx context.Context, step, sel string) int64 {
	t.Helper()
	return load(t, ctx, step, chromedp.Click(sel, chromedp.NodeVisible))
}

// load runs an action that loads a page (a click, a key, a navigation),
// waits for the page and returns its HTTP status.
func load(t *testing.T, ctx context.Context, step string, action chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	nctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(nctx, action)
	if err != nil {
		shot(t, ctx, strings.ReplaceAll(step, " ", "-")+"-failed")
		t.Fatalf("%s: %v", step, err)
	}
	return resp.Status
}

// link and button select a link or a button by the text a user reads.
func link(text string) string { return fmt.Sprintf(`//a[normalize-space()=%s]`, xpathString(text)) }
func button(text string) string {
	return fmt.Sprintf(`//button[normalize-space()=%s]`, xpathString(text))
}

func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}

// field finds the control a label names inside the element scope selects,
// as a user finds a field by its label, and returns a selector for it. It
// fails unless exactly one label has that text.
func field(t *testing.T, ctx context.Context, scope, label string) string {
	t.Helper()
	js := fmt.Sprintf(`((scope, label) => {
		const root = document.querySelector(scope);
		if (!root) return "nothing matches " + scope;
		const ls = [...root.querySelectorAll("label")].filter(l => l.textContent.replace(/\s+/g, " ").trim() === label);
		if (ls.length !== 1) return ls.length + " labels read " + JSON.stringify(label);
		const c = ls[0].control;
		if (!c || !c.id) return "the label " + JSON.stringify(label) + " names no control";
		return "#" + CSS.escape(c.id);
	})(%s, %s)`, jsString(scope), jsString(label))
	sel := eval[string](t, ctx, js)
	if !strings.HasPrefix(sel, "#") {
		shot(t, ctx, "no-field")
		t.Fatalf("field %q in %s: %s", label, scope, sel)
	}
	return sel
}

// fill types into the field a label names.
func fill(t *testing.T, ctx context.Context, scope, label, v string) {
	t.Helper()
	sel := field(t, ctx, scope, label)
	act(t, ctx, "type "+label, chromedp.Clear(sel), chromedp.SendKeys(sel, v))
	if got := value(t, ctx, sel); got != v {
		t.Fatalf("typed %q into %s, it holds %q", v, label, got)
	}
}

// fillDate types a date (YYYY-MM-DD) into a date field as a user does:
// the day, the month and the year in the order of the browser's language
// (month, day, year in American English).
func fillDate(t *testing.T, ctx context.Context, scope, label, date string) {
	t.Helper()
	sel := field(t, ctx, scope, label)
	d, err := time.Parse(tcmis.DateLayout, date)
	if err != nil {
		t.Fatal(err)
	}
	order := eval[[]string](t, ctx, `new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2006, 0, 2)).filter(p => p.type !== "literal").map(p => p.type)`)
	var keys string
	for _, part := range order {
		keys += map[string]string{"day": d.Format("02"), "month": d.Format("01"), "year": d.Format("2006")}[part]
	}
	act(t, ctx, "type "+label, chromedp.SendKeys(sel, keys))
	if got := value(t, ctx, sel); got != date {
		t.Fatalf("typed %s (%q in the order %v) into %s, it holds %q", date, keys, order, label, got)
	}
}

// choose picks the option a user reads in the list a label names.
func choose(t *testing.T, ctx context.Context, scope, label, option string) {
	t.Helper()
	sel := field(t, ctx, scope, label)
	ok := eval[bool](t, ctx, fmt.Sprintf(`((sel, text) => {
		const s = document.querySelector(sel);
		const o = [...s.options].find(o => o.textContent.replace(/\s+/g, " ").trim() === text);
		if (!o) return false;
		s.focus();
		o.selected = true;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})(%s, %s)`, jsString(sel), jsString(option)))
	if !ok {
		shot(t, ctx, "no-option")
		t.Fatalf("the list %q has no option %q", label, option)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		shot(t, ctx, "eval-failed")
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%s).value`, jsString(sel)))
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%s).getAttribute(%s) || ""`, jsString(sel), jsString(name)))
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// tableRows reads the cells of a table's body, row by row.
func tableRows(t *testing.T, ctx context.Context, sel string) [][]string {
	t.Helper()
	return eval[[][]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(r => [...r.cells].map(c => c.textContent.replace(/\s+/g, " ").trim()))`,
		jsString(sel+" tbody tr")))
}
