package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tcmis/tcmis"
)

// DefaultSeed is the seed used when Options.Seed is zero.
const DefaultSeed uint64 = 20060601

// Batch sizes: money rows are streamed in batches of moneyBatch, so that
// memory stays small however large the scale.
const (
	moneyBatch   = 20_000
	recordBatch  = 5_000
	projectBatch = 2_000
)

// Options say how large a portfolio to load and with which random draws.
type Options struct {
	// Scale is the number of independent copies of the project portfolio
	// (about 500 projects each); less than 1 means 1.
	Scale int
	// Seed chooses the random draws; zero means DefaultSeed.
	Seed uint64
	// Progress, if not nil, is called after each batch with the number of
	// rows loaded so far and the number there will be.
	Progress func(done, total int64)
}

// Stats counts the records loaded, by kind.
type Stats struct {
	Organisations int64 `json:"organisations"`
	Units         int64 `json:"units"`
	Agreements    int64 `json:"agreements"`
	Projects      int64 `json:"projects"`
	Rates         int64 `json:"rates"`
	Approvals     int64 `json:"approvals"`
	Allocations   int64 `json:"allocations"`
	Expenditures  int64 `json:"expenditures"`
	Outcomes      int64 `json:"outcomes"`
	Indicators    int64 `json:"indicators"`
	Targets       int64 `json:"targets"`
	Results       int64 `json:"results"`
	Programmes    int64 `json:"programmes"`
	Evaluations   int64 `json:"evaluations"`
	Lessons       int64 `json:"lessons"`
	Training      int64 `json:"training"`
}

// Total is the number of records of all kinds.
func (s Stats) Total() int64 {
	return s.Organisations + s.Units + s.Agreements + s.Projects + s.Rates + s.Approvals + s.Allocations +
		s.Expenditures + s.Outcomes + s.Indicators + s.Targets + s.Results + s.Programmes + s.Evaluations +
		s.Lessons + s.Training
}

// Load plans the demo portfolio and loads it into store in one
// transaction named "demo": all of it or, on any error, nothing. The same
// options always load the same records.
func Load(ctx context.Context, store tcmis.BulkService, opts Options) (Stats, error) {
	g, err := newGenerator(opts)
	if err != nil {
		return Stats{}, err
	}
	var st Stats
	err = store.Load(ctx, "demo", func(l tcmis.Loader) error {
		// The store may run this again if the engine asks for a retry.
		st = Stats{}
		return g.load(ctx, l, &st)
	})
	if err != nil {
		return Stats{}, fmt.Errorf("load demo portfolio: %w", err)
	}
	return st, nil
}

// Salts separate the random streams, so that adding draws to one part of
// the portfolio does not change the others.
const (
	saltProgrammes = iota + 1
	saltLinks
	saltFramework
	saltTraining
	saltAgreements
	saltRecord
	saltMoney
	saltEvaluations
	saltLessons
)

// generator holds the plan of the whole portfolio. Projects are planned
// in full; their money, evaluations and lessons are regenerated from each
// project's plan and its own random stream while loading.
type generator struct {
	opts       Options
	seed       uint64
	projects   []*project
	serials    map[string]int
	agreements []*agreementPlan
	programmes []*tcmis.CountryProgramme
	fw         *framework
	training   []*tcmis.TrainingActivity
	trainedFor []*project
	expected   Stats
	done       int64

	donorIDs, unitIDs, rateIDs []int64

	pcg *rand.PCG
	r   *rand.Rand
}

func newGenerator(opts Options) (*generator, error) {
	if opts.Scale < 1 {
		opts.Scale = 1
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	annex, err := readPublished()
	if err != nil {
		return nil, err
	}
	g := &generator{opts: opts, seed: opts.Seed, serials: map[string]int{}}
	g.pcg = rand.NewPCG(0, 0)
	g.r = rand.New(g.pcg)
	for replica := range opts.Scale {
		g.planReplica(replica, annex)
	}
	var first []*project
	for i, p := range g.projects {
		p.seq = i
		if p.replica == 0 {
			first = append(first, p)
		}
	}
	var byCountry map[string][]countryOutcome
	g.programmes, byCountry = buildProgrammes(g.stream(saltProgrammes))
	linkOutcomes(g.stream(saltLinks), g.projects, byCountry)
	g.planAgreements(g.stream(saltAgreements))
	// Reference data uses the first copy only, so it is the same at
	// every scale.
	g.fw = buildFramework(g.stream(saltFramework), first)
	g.training, g.trainedFor = buildTraining(g.stream(saltTraining), first)
	g.count()
	return g, nil
}

func (g *generator) stream(salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, salt<<56))
}

// reseed points g.r at the random stream of one item of one kind.
func (g *generator) reseed(salt uint64, item uint64) *rand.Rand {
	g.pcg.Seed(g.seed^(salt*0x9e3779b97f4a7c15), item)
	return g.r
}

// count works out how many records of each kind the load will create.
func (g *generator) count() {
	s := &g.expected
	s.Organisations = int64(len(donors))
	s.Units = int64(len(units))
	s.Agreements = int64(len(g.agreements))
	s.Projects = int64(len(g.projects))
	s.Rates = int64(len(rateCurrencies) * (lastRateYear - firstRateYear + 1))
	var evals []tcmis.Evaluation
	var lessons []bool
	for _, p := range g.projects {
		s.Approvals += int64(len(p.approvals))
		for y := range nYears {
			if p.spend[y] > 0 {
				s.Allocations++
			}
		}
		s.Expenditures += int64(p.rows)
		evals, lessons = projectEvaluations(g.reseed(saltEvaluations, uint64(p.seq)), p, evals, lessons)
		s.Evaluations += int64(len(evals))
		for _, l := range lessons {
			if l {
				s.Lessons++
			}
		}
	}
	s.Evaluations += int64(len(thematicEvaluations) + len(programmeEvaluations))
	s.Lessons += int64(2 * len(thematicEvaluations))
	for _, pe := range programmeEvaluations {
		if pe.done {
			s.Lessons++
		}
	}
	s.Outcomes = int64(len(g.fw.outcomes))
	s.Indicators = int64(len(g.fw.indicators))
	s.Targets = int64(len(g.fw.targets))
	s.Results = int64(len(g.fw.results))
	s.Programmes = int64(len(g.programmes))
	s.Training = int64(len(g.training))
}

// progress adds n loaded rows and reports them.
func (g *generator) progress(n int) {
	g.done += int64(n)
	if g.opts.Progress != nil {
		g.opts.Progress(g.done, g.expected.Total())
	}
}
