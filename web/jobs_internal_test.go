package web

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func jobsWait(t *testing.T, j *job) jobOutcome {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if o := j.outcome(); o.Finished {
			return o
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("job %s did not finish", j.ID)
	return jobOutcome{}
}

func TestJobs(t *testing.T) {
	js := newJobs(time.Now)
	type key struct{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "actor"))
	release := make(chan struct{})
	j := js.start(ctx, "", 7, "test", "first", func(ctx context.Context, j *job) (any, error) {
		j.progress(1, 4, "working")
		<-release
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return ctx.Value(key{}), nil
	})
	if len(j.ID) < 16 {
		t.Errorf("job id %q is guessable", j.ID)
	}
	// The request ends: the job goes on, with the request's values.
	cancel()
	for j.status().Message == "" {
		time.Sleep(time.Millisecond)
	}
	if st := j.status(); st.Done != 1 || st.Total != 4 || st.Finished {
		t.Errorf("status %+v", st)
	}
	close(release)
	o := jobsWait(t, j)
	if o.Err != nil || o.Result != "actor" {
		t.Errorf("outcome %+v", o)
	}
	if st := j.status(); !st.Finished || st.Done != st.Total {
		t.Errorf("finished status %+v", st)
	}
	if got, ok := js.get(j.ID); !ok || got != j {
		t.Error("the job is not found by id")
	}

	boom := js.start(context.Background(), "", 7, "test", "panics", func(context.Context, *job) (any, error) { panic("boom") })
	if o := jobsWait(t, boom); o.Err == nil || !strings.Contains(o.Err.Error(), "boom") {
		t.Errorf("a panic ended the job with %v", o.Err)
	}
	fail := js.start(context.Background(), "", 8, "test", "fails", func(context.Context, *job) (any, error) { return nil, errors.New("no") })
	jobsWait(t, fail)

	mine := js.list(func(j *job) bool { return j.Owner == 7 })
	if len(mine) != 2 || mine[0] != boom || mine[1] != j {
		t.Errorf("the owner's jobs, newest first: %v", mine)
	}
}

func TestJobsForgetOldFinished(t *testing.T) {
	js := newJobs(time.Now)
	hold := make(chan struct{})
	defer close(hold)
	running := js.start(context.Background(), "", 1, "test", "running", func(context.Context, *job) (any, error) {
		<-hold
		return nil, nil
	})
	var last *job
	for range maxJobs + 10 {
		last = js.start(context.Background(), "", 1, "test", "quick", func(context.Context, *job) (any, error) { return nil, nil })
		jobsWait(t, last)
	}
	all := js.list(func(*job) bool { return true })
	if len(all) != maxJobs {
		t.Errorf("%d jobs kept, want %d", len(all), maxJobs)
	}
	if _, ok := js.get(running.ID); !ok {
		t.Error("a running job was forgotten")
	}
	if _, ok := js.get(last.ID); !ok {
		t.Error("the newest job was forgotten")
	}
}
