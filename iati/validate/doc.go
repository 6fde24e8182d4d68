// Package validate checks IATI activity and organisation files the way the
// official IATI validator does, fast and without anything outside the Go
// standard library.
//
// A file goes through three kinds of check, and every problem is reported
// (validation does not stop at the first):
//
//   - Schema: the XML Schema of the version the file declares (2.01, 2.02,
//     2.03; 1.0x files against 1.05), compiled from the official XSD files
//     embedded in the binary. Messages and recovery follow libxml2, which
//     the official validator uses: after an element that is not expected,
//     that element's content and the rest of its parent's content model are
//     not checked, though later siblings still are (libxml2 stops checking
//     the whole parent); the "Expected is" lists may be ordered differently
//     or, where libxml2 omits them, present. Like libxml2, a
//     repeating element directly followed by a trailing xsd:any wildcard may
//     interleave with it (so extension elements may sit between narratives).
//   - Codelists: the codes in the attributes and elements that mapping.xml
//     lists, under its vocabulary conditions. Unknown codes of complete
//     codelists are errors, of open ones (Language, Country, ...) warnings.
//     Applies to 2.0x files.
//   - Ruleset: the IATI Standard Ruleset (or any ruleset in the validator's
//     JSON format), evaluated with a built-in XPath 1.0 evaluator over one
//     activity at a time. Applies to 2.0x files.
//
// Files are read as a stream: one activity is held in memory at a time, and
// reading and schema checks run concurrently with the codelist and rule
// checks of the previous activities. Input that is not well-formed XML stops
// validation with a *SyntaxError naming the file, line, column and reason;
// internal DTD subsets (the vehicle of entity-expansion attacks) are refused,
// nesting is limited to 256 levels, a single tag, text or comment to 16 MiB,
// and an element to 4096 attributes. A record (activity) of more than 500,000
// nodes or 64 MiB of text is schema-checked only.
//
// Column numbers count characters (not bytes) from 1. Identifiers of all
// activities are kept to find duplicates (1.1.2), so memory grows with the
// number of activities by a few dozen bytes each; Options.MaxProblems bounds
// the report.
//
// # Ruleset semantics
//
// Rule types: atleast_one, no_more_than_one, only_one_of, one_or_all,
// dependent, sum, strict_sum, date_order, date_now, time_limit,
// between_dates, regex_matches, regex_no_matches, startswith, unique,
// if_then, range, no_spaces and loop (snake_case or the validator's
// camelCase). They follow the JavaScript IATI validator (js-validator-api),
// with these deliberate differences:
//
//   - condition, if, then and one are converted with XPath's boolean(): an
//     empty node-set is false. The JavaScript validator counts every node-set
//     as true there, so that for example rule 3.7.1, whose "then" is a
//     node-set, can never fail.
//   - Dates are parsed as ECMAScript's Date does for ISO 8601 forms, but date
//     and time values without a time zone are taken as UTC, not as the
//     server's local time. Other forms are not dates (the rule is skipped).
//   - Date rules also accept an element as the date (its text); the
//     validator reads only attribute values there.
//   - White space between elements is not kept in the tree the rules see (it
//     affects nothing but text() and string() of elements that have element
//     children).
//   - A loop checks at most 256 distinct values of its foreach expression.
//
// As in the validator, date rules use the first node their XPath selects,
// idCondition NOT_EXISTING_ORG_ID(_PREFIX) uses Options.OrgIDs as the set of
// known organisation identifiers (empty by default: the rules apply), and
// startswith with ORG-ID-PREFIX checks the first two hyphen-separated parts
// against Options.OrgIDPrefixes (by default the OrganisationRegistrationAgency
// codelist).
//
// The XPath subset is described in xpath.go: location paths with all
// axes but namespace, predicates, unions, the operators, and the core
// functions except id and lang.
package validate
