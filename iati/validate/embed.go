package validate

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

// data holds the official IATI schemas, codelists and the standard ruleset
// (IATI Standard, CC BY 4.0); see data/README.md.
//
//go:embed data/schemas data/codelists data/rulesets data/README.md
var data embed.FS

// SchemaVersions lists the schema versions embedded in the binary. Files
// declaring a 1.0x version are validated against 1.05.
var SchemaVersions = []string{"1.05", "2.01", "2.02", "2.03"}

type schemaKey struct {
	version string
	kind    string // "activities" or "organisations"
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[schemaKey]*schemaEntry{}
)

type schemaEntry struct {
	once sync.Once
	s    *schema
	err  error
}

// embeddedSchema returns the compiled schema for a version and document kind,
// compiling it on first use.
func embeddedSchema(version, kind string) (*schema, error) {
	k := schemaKey{version, kind}
	schemaMu.Lock()
	e, ok := schemaCache[k]
	if !ok {
		e = &schemaEntry{}
		schemaCache[k] = e
	}
	schemaMu.Unlock()
	e.once.Do(func() {
		sub, err := fs.Sub(data, "data/schemas/"+version)
		if err != nil {
			e.err = err
			return
		}
		e.s, e.err = loadSchema(sub, "iati-"+kind+"-schema.xsd")
		if e.err != nil {
			e.err = fmt.Errorf("embedded IATI %s schema %s: %w", kind, version, e.err)
		}
	})
	return e.s, e.err
}
