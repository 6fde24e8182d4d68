package report

import (
	"context"
	"strconv"

	"github.com/tcmis/tcmis"
)

// Report 9: training participation by group and year, with the employer
// and worker participants of Table IV.1 of the 2006 report.

func init() {
	register(Definition{
		Name: "training", Number: 9,
		Title:   "Training participation by group",
		Summary: "participants by year: employers and workers in their own and in other activities, governments, others, women (Table IV.1)",
		Options: []Option{OptPeriod},
		run:     training,
	})
}

func training(ctx context.Context, r *run) (*Table, error) {
	from, to := r.p.From, r.p.To
	all, err := r.s.SumTraining(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if (from == 0 || to == 0) && len(all) > 0 {
		last := all[len(all)-1].Year
		if to == 0 {
			to = last
		}
		if from == 0 {
			from = max(all[0].Year, to-4)
		}
		var keep []tcmis.TrainingYear
		for _, y := range all {
			if y.Year >= from && y.Year <= to {
				keep = append(keep, y)
			}
		}
		all = keep
		r.p.From, r.p.To = from, to
	}
	t := &Table{
		TitlePhrase: Phrasef("Participants in training by group, %s", periodLabel(from, to)),
		Records:     "training",
		Columns: []Column{
			{Key: "year", Title: "Year", Kind: Text},
			{Key: "employers_specific", Title: "Employers: employer-specific activities", Kind: Integer},
			{Key: "employers_other", Title: "Employers: bi-tripartite and other activities", Kind: Integer},
			{Key: "employers", Title: "Employer participants", Kind: Integer},
			{Key: "employers_share", Title: "Employers, % of all participants", Kind: Percent, Unit: PerCent},
			{Key: "workers_specific", Title: "Workers: worker-specific activities", Kind: Integer},
			{Key: "workers_other", Title: "Workers: bi-tripartite and other activities", Kind: Integer},
			{Key: "workers", Title: "Worker participants", Kind: Integer},
			{Key: "workers_share", Title: "Workers, % of all participants", Kind: Percent, Unit: PerCent},
			{Key: "employers_workers", Title: "Employer and worker participants", Kind: Integer},
			{Key: "governments", Title: "Government participants", Kind: Integer},
			{Key: "others", Title: "Other participants", Kind: Integer},
			{Key: "total", Title: "All participants", Kind: Integer},
			{Key: "employers_workers_share", Title: "Employers and workers, % of all", Kind: Percent, Unit: PerCent},
			{Key: "women", Title: "Women", Kind: Integer},
			{Key: "women_share", Title: "Women, % of all", Kind: Percent, Unit: PerCent},
			{Key: "activities", Title: "Activities", Kind: Integer},
		},
		NotePhrases: phrases("An activity is employer-specific (worker-specific) when all its participants are employers (workers); the others are bipartite, tripartite or other activities."),
	}
	line := func(kind RowKind, label string, keys map[string]string, y tcmis.TrainingYear) Row {
		emp, wrk := y.EmployersOwn+y.EmployersOther, y.WorkersOwn+y.WorkersOther
		return Row{Kind: kind, Keys: keys, Cells: []Value{
			TextValue(label), Num(y.EmployersOwn), Num(y.EmployersOther), Num(emp), Share(emp, y.Total, 1),
			Num(y.WorkersOwn), Num(y.WorkersOther), Num(wrk), Share(wrk, y.Total, 1),
			Num(emp + wrk), Num(y.Governments), Num(y.Others), Num(y.Total), Share(emp+wrk, y.Total, 1),
			Num(y.Women), Share(y.Women, y.Total, 1), Num(y.Activities),
		}}
	}
	var sum tcmis.TrainingYear
	for _, y := range all {
		ys := strconv.Itoa(y.Year)
		t.Rows = append(t.Rows, line(Detail, ys, map[string]string{"year": ys}, y))
		sum.Activities += y.Activities
		sum.EmployersOwn += y.EmployersOwn
		sum.EmployersOther += y.EmployersOther
		sum.WorkersOwn += y.WorkersOwn
		sum.WorkersOther += y.WorkersOther
		sum.Governments += y.Governments
		sum.Others += y.Others
		sum.Women += y.Women
		sum.Total += y.Total
	}
	t.Rows = append(t.Rows, line(Total, periodLabel(from, to), nil, sum))
	t.Chart = Chart{Kind: Stacked, Label: 0, Series: []int{3, 7, 10, 11}, Unit: "participants"}
	return t, nil
}
