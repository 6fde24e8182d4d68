package demo

import (
	"math/rand/v2"

	"github.com/tcmis/tcmis"
)

// Participants of the International Training Centre in Turin each year
// (Table IV.1): employers in employer-specific and in other activities,
// workers likewise, and all participants. The Programme for Employers'
// Activities started in 2001. The table stops at 2004; 2005 continues it.
var turin = [nYears]struct{ employerOwn, employerOther, workerOwn, workerOther, total int64 }{
	{0, 265, 433, 205, 6705},
	{179, 221, 620, 323, 7955},
	{146, 298, 804, 318, 8007},
	{288, 335, 688, 468, 9749},
	{278, 386, 952, 515, 10796},
	{305, 410, 990, 540, 11420},
}

var employerCourses = []string{
	"Employers' organizations: strategic management",
	"Lobbying and advocacy for employers' organizations",
	"Services to members: occupational safety and health for small enterprises",
	"Employers and the HIV/AIDS challenge at the workplace",
	"Collective bargaining for employers' representatives",
}

var workerCourses = []string{
	"Trade union training on international labour standards",
	"Freedom of association and collective bargaining for trade unionists",
	"Trade unions and poverty reduction strategies",
	"Organizing workers in the informal economy",
	"Workers' education methods and distance learning",
	"Trade union action against child labour",
}

var otherCourses = []struct {
	title string
	kind  tcmis.TrainingKind
	// tripartite courses gather employers and workers with governments.
	tripartite bool
}{
	{"International labour standards for judges, lawyers and legal educators", "course", false},
	{"Labour inspection: strategies and practice", "course", true},
	{"Social security financing and actuarial methods", "course", false},
	{"Project cycle management for technical cooperation", "course", false},
	{"Employment policies and labour market information", "course", true},
	{"Gender mainstreaming in the world of work", "workshop", true},
	{"Social dialogue and tripartism", "seminar", true},
	{"Management of vocational training institutions", "course", false},
	{"Start and Improve Your Business: training of trainers", "course", false},
	{"Occupational safety and health management systems", "course", true},
	{"Labour migration policies", "seminar", true},
	{"Elimination of child labour: programme design", "workshop", true},
	{"Local economic development", "course", false},
	{"HIV/AIDS and the world of work", "workshop", true},
	{"Procurement management", "course", false},
	{"Training of trainers in e-learning", "distance", false},
	{"Central Fund fellowships: human resources development", "fellowship", false},
	{"Study visit on employment services", "study-tour", false},
}

// buildTraining draws the training activities of 2000-2005 so that, each
// year, their employer and worker participants and their total
// participants are those of Table IV.1. Some activities were run for
// projects.
func buildTraining(r *rand.Rand, ps []*project) ([]*tcmis.TrainingActivity, []*project) {
	var out []*tcmis.TrainingActivity
	var linked []*project
	for y := range nYears {
		year := firstYear + y
		t := turin[y]
		others := t.total - t.employerOwn - t.employerOther - t.workerOwn - t.workerOther

		var running []*project
		for _, p := range ps {
			if p.spend[y] > 0 && p.types&(1<<tTraining) != 0 {
				running = append(running, p)
			}
		}

		nEmp := int((t.employerOwn + 19) / 20)
		nWrk := int((t.workerOwn + 21) / 22)
		nOther := int((others + t.employerOther + t.workerOther + 25) / 26)
		emp := shares(r, t.employerOwn, nEmp)
		wrk := shares(r, t.workerOwn, nWrk)
		var tri []int
		for i := range nOther {
			if otherCourses[(i+y)%len(otherCourses)].tripartite {
				tri = append(tri, i)
			}
		}
		empOther := shares(r, t.employerOther, len(tri))
		wrkOther := shares(r, t.workerOther, len(tri))
		gov := shares(r, others, nOther)

		add := func(title string, kind tcmis.TrainingKind, pt tcmis.Participants) {
			a := &tcmis.TrainingActivity{Year: year, Kind: kind, Title: title, Participants: pt, Country: "IT"}
			var p *project
			if len(running) > 0 && chance(r, 25) {
				p = running[r.IntN(len(running))]
				a.Title += " (" + p.code + ")"
				if p.scope == tcmis.National {
					a.Country = p.countries[0].Country
				} else {
					a.Country = ""
				}
			}
			a.Participants.Women = a.Participants.Total() * between(r, 25, 50) / 100
			out = append(out, a)
			linked = append(linked, p)
		}
		for i := range nEmp {
			add(employerCourses[r.IntN(len(employerCourses))], "course", tcmis.Participants{Employers: int(emp[i])})
		}
		for i := range nWrk {
			add(workerCourses[r.IntN(len(workerCourses))], "course", tcmis.Participants{Workers: int(wrk[i])})
		}
		k := 0
		for i := range nOther {
			c := otherCourses[(i+y)%len(otherCourses)]
			pt := tcmis.Participants{}
			g := gov[i]
			pt.Governments = int(g * int64(between(r, 45, 75)) / 100)
			pt.Others = int(g) - pt.Governments
			if k < len(tri) && tri[k] == i {
				pt.Employers, pt.Workers = int(empOther[k]), int(wrkOther[k])
				k++
			}
			add(c.title, c.kind, pt)
		}
	}
	return out, linked
}

// shares splits n participants over k activities of varying size.
func shares(r *rand.Rand, n int64, k int) []int64 {
	w := make([]int64, k)
	for i := range w {
		w[i] = int64(between(r, 60, 140))
	}
	return split(nil, n, w)
}
