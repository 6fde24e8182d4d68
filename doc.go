// Package tcmis is the domain of a technical cooperation management
// information system: the donors, agreements, projects, money, results,
// country programmes, evaluations and training of an organisation's
// technical cooperation programme, the rules that govern them, and the
// service interfaces that storage and user interfaces implement or call.
//
// The package imports only the standard library. Adapters live in
// sub-packages named after their technology (sqldb, importer, ...) and
// cmd/tcmis wires them together.
//
// Amounts of money are integer minor units in their original currency,
// converted to US dollars through stored exchange rates; percentages are
// integer basis points. Nothing in the domain is a float.
package tcmis
