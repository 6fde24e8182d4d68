package sqldb_test

import (
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/sqldb"
)

func TestTraining(t *testing.T) {
	engines(t, func(t *testing.T, db *sqldb.DB) {
		ctx := ctxAs("alice")
		project := insertProjectRow(t, db, "CAM/05/01/USA")
		ts := []*tcmis.TrainingActivity{
			{Year: 2005, Kind: "course", Title: "Labour inspection", ProjectID: project, Country: "KH",
				Participants: tcmis.Participants{Employers: 3, Workers: 4, Governments: 12, Others: 1, Women: 9}},
			{Year: 2005, Kind: "fellowship", Title: "Actuarial studies"},
			{Year: 2006, Kind: "workshop", Title: "Collective bargaining", Country: "KH", Participants: tcmis.Participants{Workers: 30, Women: 30}},
		}
		if err := db.CreateTraining(ctx, ts); err != nil {
			t.Fatal(err)
		}
		for _, x := range ts {
			if x.ID == 0 || x.Version != 1 {
				t.Fatalf("created activity has id %d version %d", x.ID, x.Version)
			}
		}
		got, total, err := db.FindTraining(ctx, tcmis.TrainingFilter{})
		if err != nil || total != 3 {
			t.Fatalf("training: %d, %v", total, err)
		}
		mustEqualRecord(t, got, []*tcmis.TrainingActivity{ts[1], ts[0], ts[2]}) // by year and title
		mustAudit(t, db, "training", 0, tcmis.ActionImport)

		y2005, kh := 2005, "KH"
		mustFind(t, "year", 2, 2)(db.FindTraining(ctx, tcmis.TrainingFilter{Year: &y2005}))
		mustFind(t, "project", 1, 1)(db.FindTraining(ctx, tcmis.TrainingFilter{ProjectID: &project}))
		mustFind(t, "country, paged", 2, 1)(db.FindTraining(ctx, tcmis.TrainingFilter{Country: &kh, Limit: 1}))
		mustFind(t, "year and country", 1, 1)(db.FindTraining(ctx, tcmis.TrainingFilter{Year: &y2005, Country: &kh}))

		// A batch with invalid records, or a missing project, stores
		// nothing and says what is wrong with each record.
		err = db.CreateTraining(ctx, []*tcmis.TrainingActivity{
			{Year: 2007, Kind: "course", Title: "ok"},
			{Year: 2007, Kind: "picnic", Title: ""},
			{Year: 2007, Kind: "seminar", Title: "too many women", Participants: tcmis.Participants{Others: 2, Women: 3}},
		})
		mustProblems(t, err, tcmis.EINVALID, "training[1].kind", "training[1].title", "training[2].participants.women")
		err = db.CreateTraining(ctx, []*tcmis.TrainingActivity{
			{Year: 2007, Kind: "course", Title: "ok"},
			{Year: 2007, Kind: "course", Title: "lost", ProjectID: project + 99},
		})
		mustProblems(t, err, tcmis.EINVALID, "training[1].project_id")
		y2007 := 2007
		mustFind(t, "after refused batches", 0, 0)(db.FindTraining(ctx, tcmis.TrainingFilter{Year: &y2007}))

		a, stale := *ts[0], *ts[0]
		a.Participants.Women, a.ProjectID = 10, 0
		if err := db.UpdateTraining(ctx, &a); err != nil {
			t.Fatal(err)
		}
		stale.Title = "Stale"
		mustCode(t, db.UpdateTraining(ctxAs("bob"), &stale), tcmis.ECONFLICT)
		a.ProjectID = project + 99
		mustProblems(t, db.UpdateTraining(ctx, &a), tcmis.EINVALID, "project_id")
		a.ProjectID = 0
		got, _, _ = db.FindTraining(ctx, tcmis.TrainingFilter{Year: &y2005, Country: &kh})
		mustEqualRecord(t, got, []*tcmis.TrainingActivity{&a})
		mustAudit(t, db, "training", a.ID, tcmis.ActionUpdate)

		if err := db.DeleteTraining(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		mustCode(t, db.DeleteTraining(ctx, a.ID), tcmis.ENOTFOUND)
		mustAudit(t, db, "training", a.ID, tcmis.ActionDelete, tcmis.ActionUpdate)
		mustFind(t, "after delete", 2, 2)(db.FindTraining(ctx, tcmis.TrainingFilter{}))
	})
}
