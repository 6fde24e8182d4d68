package tcmis

import (
	"embed"
	"encoding/xml"
	"fmt"
	"sort"
	"sync"
)

// The IATI codelists the domain checks codes against (IATI Standard,
// CC BY 4.0). The iati package carries the complete set for validation.
//
//go:embed codelists/*.xml
var codelistFiles embed.FS

// Codelist is one IATI codelist: its codes and their English names.
type Codelist struct {
	Name  string
	names map[string]string
	codes []string
}

// Has reports whether code is on the list.
func (c *Codelist) Has(code string) bool { _, ok := c.names[code]; return ok }

// Name returns the English name of a code, or "" if it is not on the list.
func (c *Codelist) NameOf(code string) string { return c.names[code] }

// Codes returns the codes in their file order.
func (c *Codelist) Codes() []string { return c.codes }

// The codelists used by domain validation.
const (
	ListCurrency         = "Currency"
	ListCountry          = "Country"
	ListRegion           = "Region"
	ListSector           = "Sector"
	ListOrganisationType = "OrganisationType"
)

var (
	codelistOnce sync.Once
	codelists    map[string]*Codelist
	codelistErr  error
)

// LookupCodelist returns an embedded codelist by name (ListCountry, ...).
func LookupCodelist(name string) *Codelist {
	codelistOnce.Do(loadCodelists)
	if codelistErr != nil {
		panic(codelistErr) // the files are embedded: a failure is a build defect
	}
	c := codelists[name]
	if c == nil {
		panic("tcmis: unknown codelist " + name)
	}
	return c
}

func loadCodelists() {
	codelists = map[string]*Codelist{}
	entries, err := codelistFiles.ReadDir("codelists")
	if err != nil {
		codelistErr = err
		return
	}
	for _, e := range entries {
		b, err := codelistFiles.ReadFile("codelists/" + e.Name())
		if err != nil {
			codelistErr = err
			return
		}
		var doc struct {
			Name  string `xml:"name,attr"`
			Items []struct {
				Code  string `xml:"code"`
				Names []struct {
					Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
					Text string `xml:",chardata"`
				} `xml:"name>narrative"`
			} `xml:"codelist-items>codelist-item"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			codelistErr = fmt.Errorf("codelist %s: %w", e.Name(), err)
			return
		}
		c := &Codelist{Name: doc.Name, names: make(map[string]string, len(doc.Items))}
		for _, it := range doc.Items {
			// The English name: the narrative without a language, or in "en".
			name := ""
			for _, n := range it.Names {
				if n.Lang == "" || n.Lang == "en" {
					name = n.Text
					break
				}
			}
			c.names[it.Code] = name
			c.codes = append(c.codes, it.Code)
		}
		codelists[doc.Name] = c
	}
}

// CountryCodes returns every ISO 3166 country code the domain knows, sorted.
func CountryCodes() []string {
	codes := append([]string(nil), LookupCodelist(ListCountry).Codes()...)
	sort.Strings(codes)
	return codes
}

// CountryName returns a country's English name, or the code if unknown.
func CountryName(code string) string {
	if n := LookupCodelist(ListCountry).NameOf(code); n != "" {
		return n
	}
	return code
}

func checkCode(ps *problems, field, list, code, what string) {
	if code == "" {
		ps.add(field, "%s is required", what)
	} else if !LookupCodelist(list).Has(code) {
		ps.add(field, "%q is not a known %s code", code, what)
	}
}

func checkCurrency(ps *problems, field, code string) {
	checkCode(ps, field, ListCurrency, code, "currency")
}

func checkCountry(ps *problems, field, code string) {
	checkCode(ps, field, ListCountry, code, "country")
}
