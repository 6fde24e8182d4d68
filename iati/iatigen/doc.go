// Package iatigen writes synthetic IATI 2.03 activity files of any size, for
// benchmarks and load tests of code that reads IATI XML.
//
// The activities look like real ones (titles and descriptions in two
// languages, participating organisations, recipient countries or regions with
// percentages, sectors, policy markers, budgets, planned disbursements,
// transactions of several types, document links, results with indicators,
// baselines and periods) and are valid against the IATI 2.03 activity schema:
// elements come in schema order and every code is taken from the IATI
// codelists. The output depends only on the options, so a seed always gives
// the same file.
package iatigen
