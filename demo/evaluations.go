package demo

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/tcmis/tcmis"
)

// independentAbove is the budget over which a project has at least one
// independent evaluation (¶143), in US cents.
const independentAbove = 350_000 * 100

// projectEvaluations writes into buf the evaluations of a project's plan
// under the policy of ¶143: a final evaluation for projects under 18
// months; a mid-term and a final one from 18 to 30 months; annual reviews,
// a mid-term review where agreed and a final evaluation beyond 30 months;
// at least one independent evaluation for budgets over US$350,000; ex-post
// evaluations for a few large closed projects. Evaluations due by mid-2006
// are mostly done, some are overdue. lesson[i] tells whether evaluation i
// yields a lesson. r must be seeded for this project.
func projectEvaluations(r *rand.Rand, p *project, buf []tcmis.Evaluation, lesson []bool) ([]tcmis.Evaluation, []bool) {
	buf, lesson = buf[:0], lesson[:0]
	if p.pipeline() {
		return buf, lesson
	}
	months := tcmis.MonthsBetween(p.start, p.end)
	big := p.budgetUSD() > independentAbove
	independent := false
	add := func(timing tcmis.Timing, planned time.Time, typ tcmis.EvaluationType) {
		if typ.Independent() {
			independent = true
		}
		buf = append(buf, tcmis.Evaluation{Subject: tcmis.SubjectProject, Type: typ, Timing: timing, Planned: planned})
	}
	self := tcmis.SelfEvaluation
	indep := func() tcmis.EvaluationType {
		// More than half of independent evaluations are by external
		// consultants (¶144).
		if chance(r, 60) {
			return tcmis.ExternalIndependent
		}
		return tcmis.InternalIndependent
	}
	start, end := p.startMonth, p.endMonth
	switch {
	case months < 18:
	case months <= 30:
		typ := self
		if big && chance(r, 35) {
			typ = indep()
		}
		add(tcmis.MidTerm, firstDay(start+months/2).AddDate(0, 0, between(r, 0, 27)), typ)
	default:
		for k := 1; start+12*k < end-6 && k <= 4; k++ {
			add(tcmis.AnnualReview, firstDay(start+12*k).AddDate(0, 0, between(r, 0, 27)), self)
		}
		if chance(r, 70) {
			typ := self
			if big && chance(r, 40) {
				typ = indep()
			}
			add(tcmis.MidTerm, firstDay(start+months/2).AddDate(0, 0, between(r, 0, 27)), typ)
		}
	}
	final := self
	if (big && !independent) || chance(r, 15) {
		final = indep()
	}
	if !p.xb() && !big {
		final = self
	}
	add(tcmis.Final, lastDay(end-1).AddDate(0, 0, -between(r, 0, 20)), final)
	if big && p.budgetUSD() > 3_000_000*100 && p.end.Before(date(2005, 1, 1)) && chance(r, 20) {
		add(tcmis.ExPost, lastDay(end+between(r, 12, 20)), tcmis.ExPostEvaluation)
	}

	for i := range buf {
		e := &buf[i]
		e.Title = e.Timing.Label() + " evaluation: " + p.title + " (" + p.code + ")"
		if e.Timing == tcmis.AnnualReview {
			e.Title = "Annual review " + strconv.Itoa(e.Planned.Year()) + ": " + p.title + " (" + p.code + ")"
		}
		settle(r, e)
		lesson = append(lesson, e.Status == tcmis.EvaluationDone && chance(r, lessonChance(e.Timing)))
	}
	return buf, lesson
}

// lessonChance is how often, in per cent, an evaluation yields a lesson
// worth recording.
func lessonChance(t tcmis.Timing) int {
	switch t {
	case tcmis.MidTerm:
		return 20
	case tcmis.Final:
		return 40
	case tcmis.ExPost:
		return 70
	}
	return 0
}

// settle sets where an evaluation stands at mid-2006 and what it found.
func settle(r *rand.Rand, e *tcmis.Evaluation) {
	switch {
	case e.Planned.After(today):
		e.Status = tcmis.EvaluationPlanned
		if e.Planned.Before(today.AddDate(0, 2, 0)) && chance(r, 50) {
			e.Status = tcmis.EvaluationUnderway
		}
	case chance(r, 8):
		// Not done by its date: overdue if that was recent, dropped if
		// it was long ago.
		e.Status = tcmis.EvaluationPlanned
		if chance(r, 40) {
			e.Status = tcmis.EvaluationUnderway
		}
		if e.Planned.Before(today.AddDate(-1, -6, 0)) {
			e.Status = tcmis.EvaluationCancelled
		}
	case e.Timing == tcmis.AnnualReview && chance(r, 4):
		e.Status = tcmis.EvaluationCancelled
	default:
		e.Actual = e.Planned.AddDate(0, 0, between(r, 0, 75))
		if e.Actual.After(today) {
			e.Actual = time.Time{}
			e.Status = tcmis.EvaluationUnderway
			break
		}
		e.Status = tcmis.EvaluationDone
	}
	switch e.Type {
	case tcmis.ExternalIndependent:
		e.Evaluator = "External evaluation consultant"
		e.Budget = int64(between(r, 15, 60)) * 1000 * 100
	case tcmis.InternalIndependent:
		e.Evaluator = "ILO evaluation officer (independent of the project)"
		e.Budget = int64(between(r, 10, 35)) * 1000 * 100
	case tcmis.ExPostEvaluation:
		e.Evaluator = "Independent evaluation team"
		e.Budget = int64(between(r, 40, 90)) * 1000 * 100
	default:
		e.Evaluator = "Project team with the constituents"
		if e.Timing != tcmis.AnnualReview {
			e.Budget = int64(between(r, 2, 8)) * 1000 * 100
		}
	}
	if e.Status != tcmis.EvaluationDone {
		return
	}
	// National constituents take part in most evaluations (¶67).
	switch n := r.IntN(100); {
	case n < 60:
		e.Constituents = tcmis.AllConstituents
	case n < 75:
		e.Constituents = tcmis.Governments | tcmis.Workers
	case n < 95:
		e.Constituents = tcmis.Governments
	}
	if e.Timing == tcmis.AnnualReview {
		e.Ratings.Efficiency, e.Ratings.Effectiveness = rating(r), rating(r)
		e.Summary = "Progress against the workplan reviewed with the constituents; the workplan for the next year was adjusted."
		return
	}
	e.Ratings = tcmis.Ratings{Relevance: rating(r), Efficiency: rating(r), Effectiveness: rating(r), Impact: rating(r), Sustainability: rating(r)}
	if e.Timing == tcmis.MidTerm {
		e.Ratings.Impact, e.Ratings.Sustainability = 0, 0
	}
	e.Summary = summaries[(e.Ratings.Relevance+e.Ratings.Effectiveness)%len(summaries)]
}

// rating draws a score from 1 to 6, most projects rated satisfactory.
func rating(r *rand.Rand) int {
	return []int{2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 1}[r.IntN(14)]
}

var summaries = []string{
	"The project was relevant to national priorities and reached most of its targets; sustainability depends on continued government funding.",
	"Good results at the community level, but delays in recruitment and procurement slowed delivery in the first year.",
	"The tripartite steering committee gave the project ownership; the exit strategy needs more attention.",
	"Outputs were delivered, but the indicators did not measure the outcomes; the logical framework should be revised.",
	"Strong partnership with the implementing agencies; the model is being replicated with national funds.",
	"Implementation was efficient; the project should involve employers' and workers' organizations more closely.",
}

func (p *project) budgetUSD() int64 {
	if p.currency == tcmis.USD {
		return p.budget
	}
	rate, _ := rateFor(p.currency, p.start.Year())
	usd, _ := rate.ToUSD(tcmis.Money{Amount: p.budget, Currency: p.currency})
	return usd
}

// lessonFor writes the lesson or good practice an evaluation of a project
// drew.
func lessonFor(r *rand.Rand, p *project, l *tcmis.Lesson) {
	th := p.th()
	*l = tcmis.Lesson{Objective: th.objective, Theme: th.label}
	if p.scope == tcmis.National {
		l.Country = p.countries[0].Country
	}
	if chance(r, 35) {
		l.Kind = tcmis.GoodPractice
		gp := goodPractices[r.IntN(len(goodPractices))]
		l.Title, l.Text = gp[0], strings.ReplaceAll(gp[1], "{theme}", th.label)
	} else {
		l.Kind = tcmis.LessonLearned
		ll := lessonsLearned[r.IntN(len(lessonsLearned))]
		l.Title, l.Text = ll[0], strings.ReplaceAll(ll[1], "{theme}", th.label)
	}
	if chance(r, 30) {
		l.Assistance = assistance[r.IntN(len(assistance))]
	}
}

var assistance = tcmis.AssistanceTypes()

var lessonsLearned = [][2]string{
	{"Involve the social partners from the design", "Projects on {theme} whose employers' and workers' organizations took part in the design kept their support after the project ended; those designed with the ministry alone did not."},
	{"Plan the exit strategy at the start", "Activities on {theme} stopped when project funding ended wherever no national institution had been prepared to take them over."},
	{"Baselines before targets", "Without a baseline survey the project could not show what its work on {theme} changed; collect baseline data in the first six months."},
	{"Realistic timeframes", "An 18-month timeframe proved too short to build institutions for {theme}; two thirds of the activities fell in the last six months."},
	{"Local recruitment speeds delivery", "Recruiting national project staff instead of international experts halved start-up time and raised delivery in the first year."},
	{"Coordinate with the UN country team", "Linking the work on {theme} to the UNDAF and the poverty reduction strategy opened doors to ministries beyond the labour ministry."},
	{"Keep the logical framework simple", "Too many outputs and indicators diluted the project's focus on {theme}; fewer, measurable outcomes are easier to manage and report."},
	{"Gender needs a budget line", "Gender equality was stated as a cross-cutting concern but had no resources; women's participation in {theme} activities stayed low."},
}

var goodPractices = [][2]string{
	{"Tripartite steering committee", "A tripartite steering committee met every quarter to review the work on {theme}; it resolved implementation problems quickly and built national ownership."},
	{"Training of trainers through national institutions", "Training national trainers on {theme} in existing institutions multiplied the project's reach at low cost and lasted beyond it."},
	{"Community action committees", "Community committees identified beneficiaries and monitored activities on {theme}, keeping the project close to local needs."},
	{"Tracer surveys of beneficiaries", "A tracer survey a year after training on {theme} showed who found work and guided the next phase."},
	{"Pooled funding with other agencies", "Pooling funds for {theme} with other UN agencies in one joint programme lowered transaction costs for the government and the donors."},
}

// thematicEvaluations are the annual thematic evaluations submitted to
// the Committee on Technical Cooperation (¶145).
var thematicEvaluations = []struct {
	theme, title, document string
	objective              tcmis.Objective
	year                   int
}{
	{"training for employment", "Thematic evaluation: Training for employment", "GB.286/TC/1", tcmis.Employment, 2003},
	{"tripartism and social dialogue", "Thematic evaluation: Strengthening institutions, processes, legal frameworks and capacity of tripartite constituents for tripartism and social dialogue", "GB.289/TC/1", tcmis.SocialDialogue, 2004},
	{"gender equality", "Thematic evaluation: Gender issues in technical cooperation", "GB.292/TC/1", tcmis.OtherObjective, 2005},
	{"HIV/AIDS", "Thematic evaluation: HIV/AIDS and the world of work", "GB.295/TC/2", tcmis.SocialProtection, 2006},
}

// programmeEvaluations are the first evaluations of country programmes
// under the evaluation policy of November 2005 (¶146-148).
var programmeEvaluations = []struct {
	country string
	planned time.Time
	done    bool
}{
	{"PH", date(2006, 3, 15), true},
	{"GH", date(2006, 5, 31), true},
	{"MA", date(2006, 11, 30), false},
	{"ID", date(2007, 6, 30), false},
}

// lessonRef remembers an evaluation that yields a lesson until the
// lessons are loaded.
type lessonRef struct {
	evaluation int64
	project    *project
	thematic   int // index in thematicEvaluations, or -1
	programme  int // index in programmeEvaluations, or -1
}

func (g *generator) loadEvaluations(ctx context.Context, l tcmis.Loader, st *Stats) error {
	b := newBatch(g, ctx, recordBatch, &st.Evaluations, l.CreateEvaluations)
	var refs []lessonRef
	var pending []lessonRef // of the current batch, by position
	b.after = func(items []tcmis.Evaluation) {
		for k := range items {
			if ref := pending[k]; ref.thematic >= 0 || ref.programme >= 0 || ref.project != nil {
				ref.evaluation = items[k].ID
				refs = append(refs, ref)
			}
		}
		pending = pending[:0]
	}
	next := func(ref lessonRef) (*tcmis.Evaluation, error) {
		rec, err := b.next()
		pending = append(pending, ref)
		return rec, err
	}
	none := lessonRef{thematic: -1, programme: -1}

	var evals []tcmis.Evaluation
	var lessons []bool
	for _, p := range g.projects {
		evals, lessons = projectEvaluations(g.reseed(saltEvaluations, uint64(p.seq)), p, evals, lessons)
		for i := range evals {
			ref := none
			if lessons[i] {
				ref.project = p
			}
			rec, err := next(ref)
			if err != nil {
				return err
			}
			*rec = evals[i]
			rec.ProjectID = p.id
		}
	}
	r := g.stream(saltEvaluations)
	for i, te := range thematicEvaluations {
		ref := none
		ref.thematic = i
		rec, err := next(ref)
		if err != nil {
			return err
		}
		*rec = tcmis.Evaluation{Title: te.title, Subject: tcmis.SubjectTheme, Theme: te.theme, Type: tcmis.ThematicEvaluation,
			Timing: tcmis.Final, Planned: date(te.year, 3, 1), Actual: date(te.year, 2, between(r, 1, 20)), Status: tcmis.EvaluationDone,
			Constituents: tcmis.AllConstituents, Budget: int64(between(r, 60, 120)) * 1000 * 100, Evaluator: "ILO Evaluation Unit with external consultants",
			Summary: "Submitted to the Committee on Technical Cooperation of the Governing Body (" + te.document + ")."}
	}
	for i, pe := range programmeEvaluations {
		ref := none
		if pe.done {
			ref.programme = i
		}
		rec, err := next(ref)
		if err != nil {
			return err
		}
		var prog *tcmis.CountryProgramme
		for _, c := range g.programmes {
			if c.Country == pe.country {
				prog = c
			}
		}
		*rec = tcmis.Evaluation{Title: "Country programme evaluation: " + prog.Title, Subject: tcmis.SubjectProgramme, ProgrammeID: prog.ID,
			Type: tcmis.CountryProgrammeEval, Timing: tcmis.Final, Planned: pe.planned, Status: tcmis.EvaluationPlanned,
			Evaluator: "ILO Evaluation Unit", Budget: int64(between(r, 50, 90)) * 1000 * 100}
		if pe.done {
			rec.Status, rec.Actual = tcmis.EvaluationDone, pe.planned.AddDate(0, 0, between(r, 0, 20))
			rec.Constituents = tcmis.AllConstituents
			rec.Ratings = tcmis.Ratings{Relevance: 5, Efficiency: rating(r), Effectiveness: rating(r), Impact: rating(r), Sustainability: rating(r)}
			rec.Summary = "The pilot programme brought the four strategic objectives together around national priorities; its lessons shaped the Decent Work Country Programme."
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return g.loadLessons(ctx, l, st, refs)
}

func (g *generator) loadLessons(ctx context.Context, l tcmis.Loader, st *Stats, refs []lessonRef) error {
	b := newBatch(g, ctx, recordBatch, &st.Lessons, l.CreateLessons)
	for i, ref := range refs {
		r := g.reseed(saltLessons, uint64(i))
		switch {
		case ref.project != nil:
			rec, err := b.next()
			if err != nil {
				return err
			}
			lessonFor(r, ref.project, rec)
			rec.EvaluationID = ref.evaluation
		case ref.thematic >= 0:
			te := thematicEvaluations[ref.thematic]
			for k, text := range thematicLessons[ref.thematic] {
				rec, err := b.next()
				if err != nil {
					return err
				}
				*rec = tcmis.Lesson{EvaluationID: ref.evaluation, Kind: tcmis.LessonLearned, Title: text[0], Text: text[1], Objective: te.objective, Theme: te.theme}
				if k == 1 {
					rec.Kind = tcmis.GoodPractice
				}
			}
		default:
			pe := programmeEvaluations[ref.programme]
			rec, err := b.next()
			if err != nil {
				return err
			}
			*rec = tcmis.Lesson{EvaluationID: ref.evaluation, Kind: tcmis.LessonLearned, Country: pe.country, Theme: "decent work country programmes",
				Title: "Fewer priorities, agreed by the constituents", Text: "The pilot programme worked best where the constituents agreed on two or three priorities and the Office's regular and extra-budgetary resources were planned together around them."}
		}
	}
	return b.flush()
}

// thematicLessons are a lesson and a good practice from each thematic
// evaluation.
var thematicLessons = [][2][2]string{
	{{"Link training to labour market demand", "Training programmes placed more trainees in jobs where employers took part in choosing the trades and designing the curricula."},
		{"Community-based training for rural employment", "Identifying economic opportunities before training, as the TREE methodology does, raised the share of trainees earning an income."}},
	{{"Capacity building needs continuity", "One-off seminars did little to strengthen tripartite institutions; programmes of several years with the same partners did."},
		{"Tripartite project steering committees", "Projects steered by tripartite committees built the habit of social dialogue beyond the project itself."}},
	{{"Gender analysis at the design stage", "Projects that analysed the situation of women and men at the design stage reached women in larger numbers than those that added gender later."},
		{"Gender audits of field offices", "Participatory gender audits helped field offices and their partners see where their programmes left women out."}},
	{{"Workplace programmes need the social partners", "HIV/AIDS workplace policies lasted where employers and workers negotiated them together."},
		{"Peer educators in the workplace", "Training workers as peer educators spread prevention messages at low cost and reduced stigma."}},
}
