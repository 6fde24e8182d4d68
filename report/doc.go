// Package report defines the programme's statistics: approvals by donor
// and by source, donor concentration, local resource mobilisation,
// expenditure by objective, region, type and source, interregional
// attribution, real terms, delivery, evaluation compliance, training and
// results. Each report asks a Store for typed sums and returns a Table:
// typed columns (text, counts, US cents, basis points) and rows of exact
// figures, rounded only when printed, half away from zero, to the unit
// its column prints in (thousands of US dollars, one decimal of a per
// cent), in integer arithmetic.
//
// A report never formats: the render, xlsx and chart packages turn a
// Table into text, CSV, JSON, a workbook or an SVG picture, and never
// query.
//
// # Tracing a figure
//
// Every row carries the keys that select the records behind it
// (Row.Keys, such as {"category": "un", "donor": "17"}), every column
// the keys it adds (Column.Keys, such as {"year": "2000"}), and the table
// the filter it was made with (Table.Filter, such as {"from": "2000",
// "to": "2004", "source": "xbtc"}). Table.Trace merges the three for a
// cell: the figure is the sum of the table's Records (approvals,
// allocations, expenditures, ...) that match every key. The JSON format
// carries all the keys, and "tcmis report NAME --trace ROW,COLUMN" prints
// them with the command that lists the records. A project split between
// strategic objectives or attributed to several countries contributes to
// a cell at its share.
//
// # Rounding and splits
//
// Amounts are summed exactly in US cents. A project split between
// objectives, outcomes or places contributes its amounts times its
// shares; the store rounds each split amount to the cent by largest
// remainder (tcmis.Apportion), so that the parts of any total add up to
// it to the cent. Printed cells are each rounded on their own, as the
// organisation's tables are, so printed totals may differ by a unit from
// the sum of printed cells; an average keeps the exact quotient until it
// is printed.
package report
