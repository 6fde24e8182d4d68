// Package importer reads spreadsheets into the store: donors, units,
// projects, approvals, allocations, expenditures and exchange rates, from
// CSV files or XLSX workbooks with a header row. It is what
// "tcmis import KIND FILE" runs; doc/import.md is its user's guide.
//
// # Files
//
// A CSV file is UTF-8, with or without a byte order mark, delimited by
// commas, semicolons or tabs, whichever its header line uses most; blank
// lines are skipped. A workbook is read from the sheet named in Options,
// else a sheet named like the kind ("Approvals"), else the first sheet,
// streaming its rows. Cells are read raw: numbers as the decimal text the
// workbook stores (rounded, as Excel shows them, to 15 significant digits,
// never through a float), dates stored as serial day numbers turned
// exactly into days (the 1900 and 1904 date systems; a time of day is
// dropped).
//
// The first non-blank row names the columns. Headings are matched ignoring
// case, spaces, underscores, hyphens, dots and a trailing note in brackets,
// and each column has aliases: "Donor Name", "donor_name" and "organisation"
// are all the donor column. An unknown heading is an error, since it may be
// a misspelt column, except notes, comments, remarks and year_placement,
// which are not read.
//
// # Columns
//
// Required columns are marked *; Columns returns the full list with the
// aliases and doc/import.md describes each.
//
//	donors        name*, category*, non_state, ref, type, country
//	units         code*, name*, kind*, parent, region, country
//	projects      code*, title*, description, source*, donors, agreement,
//	              lead_unit*, office, scope*, countries, regions,
//	              objectives, sectors, start*, end*, status*, currency*,
//	              budget_experts, budget_personnel, budget_subcontracts,
//	              budget_training, budget_equipment, budget_misc, gender,
//	              tripartite_design, tripartite_implementation,
//	              tripartite_monitoring, tripartite_evaluation, crisis,
//	              conventions, country_outcomes, iati_identifier
//	approvals     date or year, donor*, donor_category, project, agreement,
//	              amount*, currency*, local, reason
//	allocations   project*, year*, amount*, currency*, reason
//	expenditures  project*, year and month or period, type*, amount*,
//	              currency*, reason
//	rates         currency*, date*, per_usd*, source*
//
// Amounts are read with tcmis.ParseAmount: thousands separated by commas,
// a decimal point, no more decimals than the currency has. Dates are
// YYYY-MM-DD. Lists are separated by semicolons, and shares are written
// KEY:PERCENT ("GH:60;TG:40", "so1/1a.1:100"); a list of one may leave out
// its share.
//
// # References
//
// Rows refer to stored records: a donor by its name (ignoring case) or its
// IATI identifier, a project and a unit by their codes, an agreement by its
// reference. A unit may also name as parent a unit of the same file. An
// approvals file creates the donors it names that are not stored when the
// row gives their donor_category, in the same transaction, so that the
// organisation's published approvals import into an empty database; without
// a category an unknown donor is an error. An approval with a year and no
// date is dated 1 January of that year.
//
// # Checks, duplicates and errors
//
// Every row is checked, with the domain's own validation, and every
// problem is reported at its row (the header being row 1, as a spreadsheet
// numbers it) and column, in an *Errors, up to MaxErrors of them. A file
// with any problem imports nothing. Records of another currency than US
// dollars need a stored exchange rate in force on their day.
//
// Importing a file twice must not count its money twice: an approval,
// allocation or expenditure identical to a stored one or to an earlier row
// (same donor or project, date or period, type, amount and currency) is
// refused as a duplicate, unless Options.AllowDuplicates is set. Donors,
// units and projects already stored, and exchange rates for a stored
// currency, day and source, are refused as such.
//
// # Storing
//
// When the whole file is read and checked, its records are stored in one
// transaction of the store (tcmis.BulkService), through the Loader's bulk
// creations, in chunks of Options.ChunkSize: the file is imported whole or
// not at all. Problems the store still finds then are reported at their
// rows too.
package importer
