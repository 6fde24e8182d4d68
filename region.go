package tcmis

import "strings"

// The organisation's regions by ISO 3166 country code. North African
// countries belong to Africa; the Arab States region is the Middle East.
var regionCountries = map[Region]string{
	Africa:      "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW",
	Americas:    "AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI",
	ArabStates:  "AE BH IQ JO KW LB OM PS QA SA SY YE",
	AsiaPacific: "AF AS AU BD BN BT CC CK CN CX FJ FM GU HK ID IN IO IR JP KH KI KP KR LA LK MH MM MN MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW UM VN VU WF WS",
	Europe:      "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IL IM IS IT JE KG KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TJ TM TR UA UZ VA XK",
}

var countryRegion = func() map[string]Region {
	m := map[string]Region{}
	for r, codes := range regionCountries {
		for _, c := range strings.Fields(codes) {
			m[c] = r
		}
	}
	return m
}()

// RegionOf returns the region a country belongs to.
func RegionOf(country string) (Region, bool) {
	r, ok := countryRegion[country]
	return r, ok
}

// CountriesOf lists the countries of a region.
func CountriesOf(r Region) []string { return strings.Fields(regionCountries[r]) }
