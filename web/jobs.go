package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"
)

// maxJobs is how many jobs the registry remembers; the oldest finished
// ones are forgotten first. A job keeps its whole validation report (at
// most 10,000 problems), so a few dozen stay well within memory.
const maxJobs = 25

// jobs is the in-memory registry of work that runs after its request has
// been answered, such as an IATI import: the page that started it
// follows its progress. Jobs do not survive a restart of the server; the
// IATI ones are recorded in the store as they start and end (iati.go).
type jobs struct {
	mu   sync.Mutex
	byID map[string]*job
	// order is the jobs' ids, oldest first.
	order []string
	now   func() time.Time
}

func newJobs(now func() time.Time) *jobs {
	return &jobs{byID: map[string]*job{}, now: now}
}

// job is one piece of background work.
type job struct {
	ID string
	// Owner is the id of the user who started it: only they and
	// administrators may see it.
	Owner   int64
	Kind    string
	Title   string
	Started time.Time

	mu       sync.Mutex
	done     int64
	total    int64
	message  string
	finished bool
	ended    time.Time
	result   any
	err      error
}

// jobStatus is what the progress bar polls.
type jobStatus struct {
	Done     int64  `json:"done"`
	Total    int64  `json:"total"`
	Message  string `json:"message"`
	Finished bool   `json:"finished"`
}

// start runs work in the background under a new job with this id (a
// random one when id is ""). The work's context
// keeps the values of ctx (the actor the audit trail records) but not its
// cancellation: the work goes on after the request is answered.
func (js *jobs) start(ctx context.Context, id string, owner int64, kind, title string, work func(ctx context.Context, j *job) (any, error)) *job {
	if id == "" {
		id = newJobID()
	}
	j := &job{ID: id, Owner: owner, Kind: kind, Title: title, Started: js.now()}
	js.add(j)
	go func() {
		var result any
		var err error
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("the job stopped: %v", p)
			}
			j.finish(js.now(), result, err)
		}()
		result, err = work(context.WithoutCancel(ctx), j)
	}()
	return j
}

func (js *jobs) add(j *job) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.byID[j.ID] = j
	js.order = append(js.order, j.ID)
	for len(js.order) > maxJobs {
		// Forget the oldest finished job; running jobs are kept.
		i := slices.IndexFunc(js.order, func(id string) bool { return js.byID[id].status().Finished })
		if i < 0 {
			break
		}
		delete(js.byID, js.order[i])
		js.order = slices.Delete(js.order, i, i+1)
	}
}

// get finds a job by id.
func (js *jobs) get(id string) (*job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	return j, ok
}

// list returns the jobs that keep returns true for, newest first.
func (js *jobs) list(keep func(*job) bool) []*job {
	js.mu.Lock()
	defer js.mu.Unlock()
	var out []*job
	for i := len(js.order) - 1; i >= 0; i-- {
		if j := js.byID[js.order[i]]; keep(j) {
			out = append(out, j)
		}
	}
	return out
}

func newJobID() string {
	b := make([]byte, 12)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// progress records how far the job is: done of total, with what it is
// doing.
func (j *job) progress(done, total int64, message string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done, j.total = done, total
	if message != "" {
		j.message = message
	}
}

func (j *job) finish(at time.Time, result any, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.finished, j.ended, j.result, j.err = true, at, result, err
	if j.total > 0 {
		j.done = j.total
	}
}

func (j *job) status() jobStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobStatus{Done: j.done, Total: j.total, Message: j.message, Finished: j.finished}
}

// jobOutcome is how a job ended.
type jobOutcome struct {
	Finished bool
	Ended    time.Time
	Result   any
	Err      error
}

// outcome is the job's result and error once it has finished (Finished
// is false while it runs).
func (j *job) outcome() jobOutcome {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobOutcome{Finished: j.finished, Ended: j.ended, Result: j.result, Err: j.err}
}
