package tcmis_test

import (
	"testing"

	"github.com/tcmis/tcmis"
)

func TestRegionOf(t *testing.T) {
	for country, want := range map[string]tcmis.Region{
		"GH": tcmis.Africa, "MA": tcmis.Africa, "BR": tcmis.Americas, "JO": tcmis.ArabStates,
		"ID": tcmis.AsiaPacific, "KZ": tcmis.Europe, "US": tcmis.Americas,
	} {
		if got, ok := tcmis.RegionOf(country); !ok || got != want {
			t.Errorf("RegionOf(%s) = %q, %v; want %q", country, got, ok, want)
		}
	}
	if _, ok := tcmis.RegionOf("ZZ"); ok {
		t.Error("RegionOf(ZZ) found a region")
	}
}

// Every sovereign member country of the IATI country list that the
// organisation works in has a region; the map lists no unknown codes.
func TestRegionCodesAreCountries(t *testing.T) {
	known := map[string]bool{}
	for _, c := range tcmis.CountryCodes() {
		known[c] = true
	}
	for _, r := range tcmis.Regions() {
		for _, c := range tcmis.CountriesOf(r) {
			if !known[c] {
				t.Errorf("region %s lists %s, which is not on the IATI country list", r, c)
			}
		}
	}
}

func TestCodelistEnglishNames(t *testing.T) {
	if got := tcmis.LookupCodelist(tcmis.ListOrganisationType).NameOf("10"); got != "Government" {
		t.Errorf("organisation type 10 is %q, want Government", got)
	}
	if got := tcmis.LookupCodelist(tcmis.ListRegion).NameOf("289"); got != "South of Sahara, regional" {
		t.Errorf("region 289 is %q", got)
	}
	if got := tcmis.CountryName("GH"); got != "Ghana" {
		t.Errorf("GH is %q", got)
	}
}
