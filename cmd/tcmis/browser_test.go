package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tcmis/tcmis"
	main "github.com/tcmis/tcmis/cmd/tcmis"
)

// The browser tests run the real program (tcmis serve on port 0, on a
// SQLite demo database) and drive Debian's Chromium through the DevTools
// protocol, as a user would: typing, clicking, reading the page. Each
// scenario saves screenshots of what it saw in $TCMIS_ARTIFACTS (default:
// artifacts/screenshots at the top of the repository).

const browserPassword = "correct horse battery staple"

// chromium finds Debian's Chromium, which scripts/setup.sh installs.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("TCMIS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("Chromium is not installed: run scripts/setup.sh (it installs Debian's chromium package)")
	return ""
}

// site is tcmis serve running on a demo database with one user per role.
type site struct {
	URL string
	DSN string
}

// serveDemo loads the demo into a new database, adds the users and starts
// tcmis serve on a free port until the test ends.
func serveDemo(t *testing.T) *site {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "tcmis.db")
	mustRun(t, dsn, "demo")
	// The programme officer edits the first project's lead unit; the
	// donor viewer sees the projects of the first project's lead donor.
	unit, donor := demoScope(t, dsn)
	for _, u := range []struct {
		email, name, role string
		scope             []string
	}{
		{"admin@example.org", "Ada Admin", "admin", nil},
		{"viewer@example.org", "Victor Viewer", "viewer", nil},
		{"officer@example.org", "Olga Officer", "programme-officer", []string{"--unit", unit}},
		{"donor@example.org", "Dan Donor", "donor-viewer", []string{"--donor", donor}},
	} {
		args := append([]string{"user", "add", "--email", u.email, "--name", u.name, "--role", u.role, "--password-stdin"}, u.scope...)
		if _, errOut, err := runInput(t, dsn, browserPassword+"\n", args...); err != nil {
			t.Fatalf("user add %s: %v\n%s", u.email, err, errOut)
		}
	}
	return startServe(t, dsn)
}

// demoScope is the code of the first project's lead unit and the id of its
// lead donor, in a demo database.
func demoScope(t *testing.T, dsn string) (unit, donor string) {
	t.Helper()
	db := openStore(t, dsn)
	defer db.Close()
	ctx := context.Background()
	ps, _, err := db.FindProjects(ctx, tcmis.ProjectFilter{Sort: "code", Limit: 1})
	if err != nil || len(ps) == 0 || len(ps[0].DonorIDs) == 0 {
		t.Fatalf("the demo's first project: %v %v", ps, err)
	}
	u, err := db.FindUnitByID(ctx, ps[0].LeadUnitID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Code, strconv.FormatInt(ps[0].DonorIDs[0], 10)
}

func startServe(t *testing.T, dsn string) *site { return startServeWith(t, dsn, nil) }

// startServeWith is startServe with configure, when not nil, changing the
// program before it runs.
func startServeWith(t *testing.T, dsn string, configure func(*main.Main)) *site {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	m := main.NewMain()
	m.Stdout, m.Stderr = &strings.Builder{}, &strings.Builder{}
	m.Getenv = func(string) string { return "" }
	m.Serving = func(a string) { addr <- a }
	if configure != nil {
		configure(m)
	}
	go func() { done <- m.Run(ctx, []string{"--db", dsn, "serve", "--addr", "127.0.0.1:0"}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("tcmis serve: %v", err)
		}
		m.Close()
	})
	select {
	case a := <-addr:
		return &site{URL: a, DSN: dsn}
	case err := <-done:
		t.Fatalf("tcmis serve stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("tcmis serve did not start in 30 s")
	}
	return nil
}

// browser starts a headless Chromium for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("cannot start Chromium: %v", err)
	}
	return ctx
}

// artifacts is where screenshots go.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TCMIS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot saves a full-page screenshot named after the test and the step.
func shot(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is a PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", step, err)
	}
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()) + "-" + step + ".png"
	if err := os.WriteFile(filepath.Join(artifacts(t), name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// act does browser actions and fails the test, with a screenshot, if one
// fails.
func act(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		shot(t, ctx, step+"-failed")
		t.Fatalf("%s: %v", step, err)
	}
}

// signIn signs in through the form.
func signIn(t *testing.T, ctx context.Context, s *site, email string) {
	t.Helper()
	act(t, ctx, "sign in",
		chromedp.Navigate(s.URL+"/signin"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, browserPassword),
		chromedp.Submit(`#password`),
		chromedp.WaitVisible(`nav#nav`),
	)
}

// text reads the text of the first element a selector finds.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel, chromedp.NodeVisible))
	if err != nil {
		shot(t, ctx, "read-failed")
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

func TestBrowserSignInAndPortfolio(t *testing.T) {
	s := serveDemo(t)
	ctx := browser(t)
	act(t, ctx, "open", chromedp.Navigate(s.URL+"/projects"), chromedp.WaitVisible(`#email`))
	shot(t, ctx, "signin")
	signIn(t, ctx, s, "viewer@example.org")
	if h := text(t, ctx, "h1"); h != "Dashboard" {
		t.Fatalf("after sign-in the page is %q", h)
	}
	shot(t, ctx, "dashboard")
	act(t, ctx, "project list", chromedp.Navigate(s.URL+"/projects"), chromedp.WaitVisible(`#project-list`))
	shot(t, ctx, "projects")
	if sum := text(t, ctx, ".summary"); !strings.Contains(sum, "projects") {
		t.Fatalf("project list summary %q", sum)
	}
	// A phone-sized screen: the menu folds behind its button.
	act(t, ctx, "phone", chromedp.EmulateViewport(375, 800), chromedp.Navigate(s.URL+"/projects"),
		chromedp.WaitVisible(`.menu-toggle`), chromedp.WaitNotVisible(`nav#nav`))
	shot(t, ctx, "phone")
	act(t, ctx, "open menu", chromedp.Click(`.menu-toggle`), chromedp.WaitVisible(`nav#nav`))
}
