package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/report"
)

func (m *Main) deliveryCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delivery",
		Short: "Monthly delivery by project, unit and office; thresholds and alerts",
		Long: `The delivery control system: each month a snapshot of delivery (expenditure
to date over the year's allocations) by project, lead unit and field office,
with the forecast for the year end from the trend of the last three months;
thresholds an administrator sets for each scope (and for single units or
offices); and the lines whose forecast falls below their threshold.`,
	}
	cmd.AddCommand(m.deliverySnapshotCommand(), m.deliveryAlertsCommand(), m.deliveryThresholdCommand())
	return cmd
}

// unitCodes names units by code.
func unitCodes(ctx context.Context, s tcmis.Store) (func(id int64) string, error) {
	n, err := loadNames(ctx, s)
	if err != nil {
		return nil, err
	}
	return n.unit, nil
}

// rowNames names the lines of a snapshot: a project by its code, a unit
// or an office by its code.
func rowNames(ctx context.Context, s tcmis.Store) (func(r tcmis.DeliveryRow) string, error) {
	units, err := unitCodes(ctx, s)
	if err != nil {
		return nil, err
	}
	projects := projectCodes(ctx, s)
	return func(r tcmis.DeliveryRow) string {
		if r.Scope == tcmis.ScopeProject {
			return projects(r.ProjectID)
		}
		return units(r.UnitID)
	}, nil
}

func rateCell(r tcmis.DeliveryRow, forecast bool) string {
	p, ok := r.Rate()
	if forecast {
		p, ok = r.ForecastRate()
	}
	if !ok {
		return "-"
	}
	return p.String()
}

func (m *Main) deliverySnapshotCommand() *cobra.Command {
	var formatFlag, month string
	cmd := &cobra.Command{
		Use:     "snapshot",
		Short:   "Take the delivery snapshot of a month (again, if it was taken before)",
		Example: "  tcmis delivery snapshot --month 2005-06\n  tcmis delivery snapshot --month 2005-06 --format csv > june.csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			if month == "" {
				return invalidOptions([]tcmis.Problem{{Field: report.KeyMonth, Message: "say which month, such as 2005-06"}})
			}
			y, mo, err := tcmis.ParseMonth(month)
			if err != nil {
				return invalidOptions([]tcmis.Problem{{Field: report.KeyMonth, Message: err.Error()}})
			}
			ctx, db, err := m.openFor(cmd)
			if err != nil {
				return err
			}
			snap, err := db.TakeDeliverySnapshot(ctx, y, mo)
			if err != nil {
				return err
			}
			name, err := rowNames(ctx, db)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Scope", "Code", "Projects", "Allocated (US$)", "Spent in month (US$)", "Spent to date (US$)", "Delivery %", "Year-end forecast (US$)", "Forecast %"}}
			counts := map[tcmis.DeliveryScope]int{}
			for _, r := range snap.Rows {
				counts[r.Scope]++
				g.add(string(r.Scope), name(r), strconv.Itoa(r.Projects), usd(r.Allocated), usd(r.SpentMonth), usd(r.SpentYTD), rateCell(r, false), usd(r.Forecast), rateCell(r, true))
			}
			if snap.Rows == nil {
				snap.Rows = []tcmis.DeliveryRow{}
			}
			if err := write(m.Stdout, f, g, snap); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "Delivery snapshot of %s: %d offices, %d units, %d projects\n", tcmis.MonthString(y, mo),
					counts[tcmis.ScopeOffice], counts[tcmis.ScopeUnit], counts[tcmis.ScopeProject])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&month, report.KeyMonth, "", "the month, YYYY-MM")
	return cmd
}

func (m *Main) deliveryAlertsCommand() *cobra.Command {
	var formatFlag, month, threshold, scope string
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Projects, units and offices whose year-end delivery forecast is below their threshold",
		Long: `List the lines of a month's delivery snapshot (the latest taken, unless
--month says) whose forecast delivery rate for the year end is below their
threshold, with the rate to date and its trend since the previous month's
snapshot, in percentage points. --threshold replaces the stored thresholds
for this list.`,
		Example: "  tcmis delivery alerts\n  tcmis delivery alerts --month 2005-06 --scope office\n  tcmis delivery alerts --threshold 60 --format csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			var filter tcmis.AlertFilter
			var ps []tcmis.Problem
			bad := func(flag string, err error) { ps = append(ps, tcmis.Problem{Field: flag, Message: err.Error()}) }
			if month != "" {
				if filter.Year, filter.Month, err = tcmis.ParseMonth(month); err != nil {
					bad(report.KeyMonth, err)
				}
			}
			if threshold != "" {
				if p, err := tcmis.ParseThreshold(threshold); err != nil {
					bad(report.KeyThreshold, err)
				} else {
					filter.Threshold = &p
				}
			}
			if scope != "" {
				if s, err := tcmis.ParseDeliveryScope(scope); err != nil {
					bad("scope", err)
				} else {
					filter.Scope = &s
				}
			}
			if err := invalidOptions(ps); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			alerts, err := db.DeliveryAlerts(ctx, filter)
			if err != nil {
				return err
			}
			name, err := rowNames(ctx, db)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"Month", "Scope", "Code", "Allocated (US$)", "Spent to date (US$)", "Delivery %", "Trend (points)", "Forecast %", "Threshold %"}}
			for _, a := range alerts {
				trend := "-"
				if a.HasTrend {
					trend = a.Trend.String()
					if a.Trend > 0 {
						trend = "+" + trend
					}
				}
				g.add(tcmis.MonthString(a.Year, a.Month), string(a.Scope), name(a.DeliveryRow), usd(a.Allocated), usd(a.SpentYTD), a.Rate.String(), trend, a.ForecastRate.String(), a.Threshold.String())
			}
			if alerts == nil {
				alerts = []tcmis.DeliveryAlert{}
			}
			if err := write(m.Stdout, f, g, alerts); err != nil {
				return err
			}
			if f == formatTable {
				fmt.Fprintf(m.Stdout, "%d below threshold\n", len(alerts))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&month, report.KeyMonth, "", "the month, YYYY-MM (default: the latest snapshot)")
	cmd.Flags().StringVar(&threshold, report.KeyThreshold, "", "a threshold in per cent for every line, instead of the stored ones")
	cmd.Flags().StringVar(&scope, "scope", "", "only one scope: office, unit or project")
	return cmd
}

func (m *Main) deliveryThresholdCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "threshold", Short: "Set and list the delivery thresholds"}
	var formatFlag string
	list := &cobra.Command{
		Use:     "list",
		Short:   "List the delivery thresholds",
		Example: "  tcmis delivery threshold list",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(formatFlag)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := m.store(ctx)
			if err != nil {
				return err
			}
			ts, err := db.FindDeliveryThresholds(ctx)
			if err != nil {
				return err
			}
			units, err := unitCodes(ctx, db)
			if err != nil {
				return err
			}
			g := &grid{header: []string{"ID", "Scope", "Unit", "Threshold %"}}
			for _, t := range ts {
				u := "(all)"
				if t.UnitID != 0 {
					u = units(t.UnitID)
				}
				g.add(strconv.FormatInt(t.ID, 10), string(t.Scope), u, t.Rate.String())
			}
			if ts == nil {
				ts = []*tcmis.DeliveryThreshold{}
			}
			return write(m.Stdout, f, g, ts)
		},
	}
	list.Flags().StringVar(&formatFlag, "format", "table", "output format: table, json or csv")

	var scope, unit, rate string
	set := &cobra.Command{
		Use:   "set",
		Short: "Set the lowest year-end delivery rate accepted for a scope, or for one unit or office",
		Long: `Set the lowest year-end delivery rate accepted for every project, unit or
office (--scope), or, with --unit, for one unit or office alone (for the
project scope: the projects it leads or manages). A threshold for a unit
takes precedence over the scope's. Setting it again replaces it.`,
		Example: "  tcmis delivery threshold set --scope project --rate 60\n  tcmis delivery threshold set --scope office --unit CO-Accra --rate 55",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var ps []tcmis.Problem
			s, err := tcmis.ParseDeliveryScope(scope)
			if err != nil {
				ps = append(ps, tcmis.Problem{Field: "scope", Message: err.Error()})
			}
			r, err := tcmis.ParseThreshold(rate)
			if err != nil {
				ps = append(ps, tcmis.Problem{Field: "rate", Message: err.Error()})
			}
			if err := invalidOptions(ps); err != nil {
				return err
			}
			ctx, db, err := m.openFor(cmd)
			if err != nil {
				return err
			}
			t := &tcmis.DeliveryThreshold{Scope: s, Rate: r}
			if unit != "" {
				n, err := loadNames(ctx, db)
				if err != nil {
					return err
				}
				u := n.unitByCode(unit)
				if u == nil {
					return usagef("--unit %q: no unit or office has that code", unit)
				}
				t.UnitID = u.ID
			}
			if err := db.SetDeliveryThreshold(ctx, t); err != nil {
				return err
			}
			who := "every " + string(s)
			if unit != "" {
				who = string(s) + " " + unit
			}
			fmt.Fprintf(m.Stdout, "Delivery threshold for %s: %s%%.\n", who, t.Rate)
			return nil
		},
	}
	set.Flags().StringVar(&scope, "scope", "", "project, unit or office")
	set.Flags().StringVar(&unit, "unit", "", "the code of one unit or office (default: all of the scope)")
	set.Flags().StringVar(&rate, "rate", "", "the threshold in per cent, such as 60")
	cmd.AddCommand(list, set)
	return cmd
}
