// Command loadgen measures the latency of tcmis pages under many signed-in
// users at once. Each virtual user signs in with its own session and asks
// for the pages in turn, waiting -think between two requests (0: as fast
// as the server answers, the harshest case). It prints, for each page, the
// requests served and the 50th, 90th, 99th percentile and worst latency.
//
//	go run ./scripts/loadgen -url http://127.0.0.1:8080 -email viewer@example.org -password ... -users 50
//
// scripts/bench-web.sh runs it against a demo database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "where tcmis serves")
	email := flag.String("email", "", "the account every virtual user signs in with")
	password := flag.String("password", "", "its password")
	users := flag.Int("users", 50, "virtual users at once")
	duration := flag.Duration("duration", 30*time.Second, "how long to measure")
	warmup := flag.Duration("warmup", 3*time.Second, "requests before measuring, not counted")
	think := flag.Duration("think", 0, "pause of each user between two requests")
	pages := flag.String("pages", "/,/projects,project", `pages, comma-separated; "project" is the page of the first project listed`)
	flag.Parse()
	if err := run(*base, *email, *password, *users, *duration, *warmup, *think, strings.Split(*pages, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// signIn returns a client with a session of its own.
func signIn(base, email, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in as %s answered %s", email, res.Status)
	}
	return c, nil
}

var projectLink = regexp.MustCompile(`href="(/projects/[0-9]+)"`)

func run(base, email, password string, users int, duration, warmup, think time.Duration, pages []string) error {
	first, err := signIn(base, email, password)
	if err != nil {
		return err
	}
	for i, p := range pages {
		if p != "project" {
			continue
		}
		res, err := first.Get(base + "/projects")
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := projectLink.FindSubmatch(b)
		if m == nil {
			return errors.New("the project list links no project")
		}
		pages[i] = string(m[1])
	}
	clients := make([]*http.Client, users)
	for i := range clients {
		if clients[i], err = signIn(base, email, password); err != nil {
			return err
		}
	}
	type sample struct {
		page int
		d    time.Duration
		err  error
	}
	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(context.Background(), warmup+duration)
	defer cancel()
	start := time.Now()
	measureFrom := start.Add(warmup)
	for u, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := u; ctx.Err() == nil; i++ {
				page := i % len(pages)
				t0 := time.Now()
				err := get(ctx, c, base+pages[page])
				d := time.Since(t0)
				if ctx.Err() != nil {
					return
				}
				if t0.After(measureFrom) {
					mu.Lock()
					samples = append(samples, sample{page, d, err})
					mu.Unlock()
				}
				if think > 0 {
					select {
					case <-ctx.Done():
					case <-time.After(think):
					}
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%d users, think time %s, %s measured after %s of warm-up, %s\n", users, think, duration, warmup, base)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "page\trequests\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\terrors\t")
	for i, p := range pages {
		var ds []time.Duration
		errs := 0
		var firstErr error
		for _, s := range samples {
			if s.page != i {
				continue
			}
			if s.err != nil {
				errs++
				firstErr = cmpErr(firstErr, s.err)
				continue
			}
			ds = append(ds, s.d)
		}
		slices.Sort(ds)
		fmt.Fprintf(w, "%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%d\t\n", p, len(ds), float64(len(ds))/duration.Seconds(),
			ms(pct(ds, 50)), ms(pct(ds, 90)), ms(pct(ds, 99)), ms(pct(ds, 100)), errs)
		if firstErr != nil {
			defer fmt.Fprintf(os.Stderr, "first error on %s: %v\n", p, firstErr)
		}
	}
	return w.Flush()
}

func cmpErr(old, new error) error {
	if old != nil {
		return old
	}
	return new
}

func get(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", u, res.Status)
	}
	return nil
}

// pct is the p-th percentile (nearest rank) of sorted durations.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := (p*len(ds)+99)/100 - 1
	return ds[max(0, min(i, len(ds)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
