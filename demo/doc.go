// Package demo loads a demonstration portfolio: a technical cooperation
// programme shaped like the one the ILO described in its 2006 report "The
// role of the ILO in technical cooperation", for a first-time user to
// explore and, scaled up, for benchmarks.
//
// The portfolio holds the donors of every category, the headquarters
// departments and field offices, funding agreements, some 500 projects with
// their approvals, allocations and monthly expenditure for 2000-2005, the
// results framework for the bienniums 2000-01 to 2006-07, the decent work
// country programmes, evaluations and their lessons, and the Turin
// Centre's training activities.
//
// The approvals of 2000-2004 are the published ones (Annex 2 of the report,
// embedded from data/approvals-2000-2004.csv): each donor-year amount is
// split across that donor's projects in whole dollars that add up exactly
// to the published figure. Everything else is drawn at random, with a fixed
// seed, so that the programme's totals and shares come close to those the
// report prints: expenditure growing from US$91 million in 2000 to US$171
// million in 2005, its regional and type-of-assistance shares, delivery
// rates of 60 to 70 per cent, local resource mobilisation by donor
// category, the employer and worker participants of the Turin Centre.
//
// Options.Scale N loads N independent draws of the project portfolio, each
// a complete programme: N times the projects, their single-project
// agreements, approvals (each Annex 2 amount N times over), allocations,
// expenditures, evaluations and lessons. Reference data (donors, units,
// partnerships, rates, the results framework, country programmes, thematic
// evaluations and training) is loaded once; it refers to the first draw,
// which is the same at every scale. The same options always give the same
// records.
//
// Everything is created through one tcmis.BulkService.Load transaction,
// each record after those it refers to; the results framework and the
// country programmes come before the projects, which name their outcome
// codes. Money rows are generated while loading, in batches, so memory
// stays small at any scale.
package demo
