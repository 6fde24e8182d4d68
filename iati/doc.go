// Package iati reads and writes IATI activity files: a streaming reader
// for versions 1.01 to 1.05 and 2.01 to 2.03 that yields one activity at a
// time as a tcmis.Activity (version 1 codes converted to 2.03), a writer
// of IATI 2.03 activity XML in the schema's element order, and the import
// and export of a whole portfolio through the store.
//
// The reader holds one activity in memory at a time. It refuses what it
// cannot read as IATI (not XML, truncated, an unsupported encoding, a
// DOCTYPE, nesting deeper than MaxDepth, a token larger than MaxToken, an
// activity larger than MaxNodes elements) with a *FileError naming the
// file, line and problem, and collects everything else as warnings with
// their line, or as errors for values the model cannot take (an
// impossible date, amount or code, a missing identifier). An import
// stores a file only when it has no errors, in one transaction.
//
// What the model has no place for is kept with the activity (see
// tcmis.Fragment) and written back where the 2.03 schema puts it;
// anything that is not valid 2.03 as it stands (elements of a version 1
// file, attributes the schema does not know) is written in the namespace
// LegacyNamespace, which the schema lets through, and read back from
// there, so that importing an export changes nothing. doc/iati.md
// describes the mapping.
package iati
