package validate

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Simple types of XML Schema 1.0: the built-in types the IATI schemas use
// (and the usual others) plus derivation by restriction, list and union with
// the facets enumeration, pattern, length, minLength, maxLength,
// minInclusive, maxInclusive, minExclusive, maxExclusive, totalDigits and
// fractionDigits.

type builtinKind uint8

const (
	bkAnySimple builtinKind = iota
	bkString
	bkNormalizedString
	bkToken
	bkLanguage
	bkName
	bkNCName
	bkNMTOKEN
	bkAnyURI
	bkQName
	bkBoolean
	bkDecimal
	bkInteger // all integer types; bounds held in lo/hi
	bkFloat
	bkDate
	bkDateTime
	bkTime
	bkGYear
	bkGYearMonth
	bkGMonth
	bkGMonthDay
	bkGDay
	bkDuration
	bkBase64
	bkHex
)

const (
	wsPreserve = iota
	wsReplace
	wsCollapse
)

const (
	varAtomic = iota
	varList
	varUnion
)

type simpleType struct {
	name    string // for messages, e.g. "xs:date"; "" for anonymous types
	variety uint8
	kind    builtinKind
	ws      uint8
	lo, hi  *big.Int // integer bounds of built-in integer types
	item    *simpleType
	members []*simpleType

	enum        []string
	patterns    [][]*regexp.Regexp // each step: any may match; all steps must
	length      int
	minLength   int
	maxLength   int
	minInc      *big.Rat
	maxInc      *big.Rat
	minExc      *big.Rat
	maxExc      *big.Rat
	totalDigits int
	fracDigits  int
}

func newSimple(name string, kind builtinKind, ws uint8) *simpleType {
	return &simpleType{name: name, kind: kind, ws: ws, length: -1, minLength: -1, maxLength: -1, totalDigits: -1, fracDigits: -1}
}

// derive returns a copy of t to which restriction facets can be added.
func (t *simpleType) derive(name string) *simpleType {
	c := *t
	c.name = name
	c.enum = nil
	c.patterns = append([][]*regexp.Regexp(nil), t.patterns...)
	return &c
}

func intType(name, lo, hi string) *simpleType {
	t := newSimple(name, bkInteger, wsCollapse)
	if lo != "" {
		t.lo, _ = new(big.Int).SetString(lo, 10)
	}
	if hi != "" {
		t.hi, _ = new(big.Int).SetString(hi, 10)
	}
	return t
}

// builtinTypes maps local names in the XML Schema namespace to types.
var builtinTypes = func() map[string]*simpleType {
	m := map[string]*simpleType{
		"anySimpleType":      newSimple("xs:anySimpleType", bkAnySimple, wsPreserve),
		"string":             newSimple("xs:string", bkString, wsPreserve),
		"normalizedString":   newSimple("xs:normalizedString", bkNormalizedString, wsReplace),
		"token":              newSimple("xs:token", bkToken, wsCollapse),
		"language":           newSimple("xs:language", bkLanguage, wsCollapse),
		"Name":               newSimple("xs:Name", bkName, wsCollapse),
		"NCName":             newSimple("xs:NCName", bkNCName, wsCollapse),
		"ID":                 newSimple("xs:ID", bkNCName, wsCollapse),
		"IDREF":              newSimple("xs:IDREF", bkNCName, wsCollapse),
		"ENTITY":             newSimple("xs:ENTITY", bkNCName, wsCollapse),
		"NMTOKEN":            newSimple("xs:NMTOKEN", bkNMTOKEN, wsCollapse),
		"anyURI":             newSimple("xs:anyURI", bkAnyURI, wsCollapse),
		"QName":              newSimple("xs:QName", bkQName, wsCollapse),
		"NOTATION":           newSimple("xs:NOTATION", bkQName, wsCollapse),
		"boolean":            newSimple("xs:boolean", bkBoolean, wsCollapse),
		"decimal":            newSimple("xs:decimal", bkDecimal, wsCollapse),
		"float":              newSimple("xs:float", bkFloat, wsCollapse),
		"double":             newSimple("xs:double", bkFloat, wsCollapse),
		"date":               newSimple("xs:date", bkDate, wsCollapse),
		"dateTime":           newSimple("xs:dateTime", bkDateTime, wsCollapse),
		"time":               newSimple("xs:time", bkTime, wsCollapse),
		"gYear":              newSimple("xs:gYear", bkGYear, wsCollapse),
		"gYearMonth":         newSimple("xs:gYearMonth", bkGYearMonth, wsCollapse),
		"gMonth":             newSimple("xs:gMonth", bkGMonth, wsCollapse),
		"gMonthDay":          newSimple("xs:gMonthDay", bkGMonthDay, wsCollapse),
		"gDay":               newSimple("xs:gDay", bkGDay, wsCollapse),
		"duration":           newSimple("xs:duration", bkDuration, wsCollapse),
		"base64Binary":       newSimple("xs:base64Binary", bkBase64, wsCollapse),
		"hexBinary":          newSimple("xs:hexBinary", bkHex, wsCollapse),
		"integer":            intType("xs:integer", "", ""),
		"nonNegativeInteger": intType("xs:nonNegativeInteger", "0", ""),
		"positiveInteger":    intType("xs:positiveInteger", "1", ""),
		"nonPositiveInteger": intType("xs:nonPositiveInteger", "", "0"),
		"negativeInteger":    intType("xs:negativeInteger", "", "-1"),
		"long":               intType("xs:long", "-9223372036854775808", "9223372036854775807"),
		"int":                intType("xs:int", "-2147483648", "2147483647"),
		"short":              intType("xs:short", "-32768", "32767"),
		"byte":               intType("xs:byte", "-128", "127"),
		"unsignedLong":       intType("xs:unsignedLong", "0", "18446744073709551615"),
		"unsignedInt":        intType("xs:unsignedInt", "0", "4294967295"),
		"unsignedShort":      intType("xs:unsignedShort", "0", "65535"),
		"unsignedByte":       intType("xs:unsignedByte", "0", "255"),
	}
	for _, n := range []string{"IDREFS", "ENTITIES", "NMTOKENS"} {
		item := m[strings.TrimSuffix(n, "S")]
		if n == "ENTITIES" {
			item = m["ENTITY"]
		}
		t := newSimple("xs:"+n, bkAnySimple, wsCollapse)
		t.variety = varList
		t.item = item
		t.minLength = 1
		m[n] = t
	}
	return m
}()

func normalizeWS(v string, ws uint8) string {
	switch ws {
	case wsReplace:
		if strings.ContainsAny(v, "\t\n\r") {
			v = strings.Map(func(r rune) rune {
				if r == '\t' || r == '\n' || r == '\r' {
					return ' '
				}
				return r
			}, v)
		}
	case wsCollapse:
		if needsCollapse(v) {
			v = strings.Join(strings.Fields(v), " ")
		}
	}
	return v
}

func needsCollapse(v string) bool {
	if v == "" {
		return false
	}
	if isSpaceByte(v[0]) || isSpaceByte(v[len(v)-1]) {
		return true
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\t' || c == '\n' || c == '\r' || c == ' ' && i+1 < len(v) && v[i+1] == ' ' {
			return true
		}
	}
	return false
}

// anyString reports whether every string is valid: a string type without
// facets. Callers skip building a string to validate then.
func (t *simpleType) anyString() bool {
	return t.variety == varAtomic && (t.kind <= bkToken) && t.enum == nil && t.patterns == nil &&
		t.length < 0 && t.minLength < 0 && t.maxLength < 0
}

// validate reports whether v is a valid lexical value of t.
func (t *simpleType) validate(v string) bool {
	v = normalizeWS(v, t.ws)
	switch t.variety {
	case varUnion:
		ok := false
		for _, m := range t.members {
			if m.validate(v) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
		return t.facetsOK(v, 0)
	case varList:
		items := strings.Fields(v)
		for _, it := range items {
			if !t.item.validate(it) {
				return false
			}
		}
		return t.facetsOK(v, len(items))
	}
	if !lexicalOK(t, v) {
		return false
	}
	return t.facetsOK(v, -1)
}

// sameValue compares two lexical values in the value space, as far as this
// package models it: numbers by value, everything else as normalised text.
func (t *simpleType) sameValue(a, b string) bool {
	a, b = normalizeWS(a, t.ws), normalizeWS(b, t.ws)
	if a == b {
		return true
	}
	numeric := t.variety == varAtomic && (t.kind == bkDecimal || t.kind == bkInteger || t.kind == bkFloat)
	if t.variety == varUnion {
		for _, m := range t.members {
			if m.variety == varAtomic && (m.kind == bkDecimal || m.kind == bkInteger) && m.validate(a) && m.validate(b) {
				numeric = true
			}
		}
	}
	return numeric && numEqual(a, b)
}

// facetsOK checks the constraining facets. n is the item count for lists, -1
// for atomic values (length is then measured in characters).
func (t *simpleType) facetsOK(v string, n int) bool {
	if len(t.enum) > 0 {
		found := false
		for _, e := range t.enum {
			if e == v || (t.kind == bkDecimal || t.kind == bkInteger) && t.variety == varAtomic && numEqual(e, v) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, step := range t.patterns {
		ok := false
		for _, re := range step {
			if re.MatchString(v) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if t.length >= 0 || t.minLength >= 0 || t.maxLength >= 0 {
		l := n
		if l < 0 {
			switch t.kind {
			case bkHex:
				l = len(v) / 2
			case bkBase64:
				l = len(strings.Map(func(r rune) rune {
					if r == ' ' || r == '=' {
						return -1
					}
					return r
				}, v)) * 3 / 4
			default:
				l = len([]rune(v))
			}
		}
		if t.length >= 0 && l != t.length || t.minLength >= 0 && l < t.minLength || t.maxLength >= 0 && l > t.maxLength {
			return false
		}
	}
	if t.minInc != nil || t.maxInc != nil || t.minExc != nil || t.maxExc != nil {
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(v, "+"))
		if !ok {
			return true // bounds on non-numeric types are not checked
		}
		if t.minInc != nil && r.Cmp(t.minInc) < 0 || t.maxInc != nil && r.Cmp(t.maxInc) > 0 ||
			t.minExc != nil && r.Cmp(t.minExc) <= 0 || t.maxExc != nil && r.Cmp(t.maxExc) >= 0 {
			return false
		}
	}
	if t.totalDigits >= 0 || t.fracDigits >= 0 {
		intPart, frac := splitDecimal(v)
		intPart = strings.TrimLeft(intPart, "0")
		frac = strings.TrimRight(frac, "0")
		if t.totalDigits >= 0 && len(intPart)+len(frac) > t.totalDigits || t.fracDigits >= 0 && len(frac) > t.fracDigits {
			return false
		}
	}
	return true
}

func splitDecimal(v string) (string, string) {
	v = strings.TrimLeft(v, "+-")
	if i := strings.IndexByte(v, '.'); i >= 0 {
		return v[:i], v[i+1:]
	}
	return v, ""
}

func numEqual(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(strings.TrimPrefix(a, "+"))
	y, ok2 := new(big.Rat).SetString(strings.TrimPrefix(b, "+"))
	return ok1 && ok2 && x.Cmp(y) == 0
}

var (
	reLanguage = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)
	reFloat    = regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)$`)
	reDuration = regexp.MustCompile(`^-?P(([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?)$`)
	reBase64   = regexp.MustCompile(`^(([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?=|([A-Za-z0-9+/] ?)[AQgw] ?= ?=)?$`)
)

func lexicalOK(t *simpleType, v string) bool {
	switch t.kind {
	case bkAnySimple, bkString, bkNormalizedString, bkToken:
		return true
	case bkLanguage:
		return reLanguage.MatchString(v)
	case bkName:
		return isName([]byte(v))
	case bkNCName:
		return isName([]byte(v)) && !strings.Contains(v, ":")
	case bkNMTOKEN:
		return isNmtoken(v)
	case bkAnyURI:
		return validAnyURI(v)
	case bkQName:
		return isQName([]byte(v))
	case bkBoolean:
		return v == "true" || v == "false" || v == "1" || v == "0"
	case bkDecimal:
		return isDecimal(v)
	case bkInteger:
		return isIntegerIn(v, t.lo, t.hi)
	case bkFloat:
		return reFloat.MatchString(v)
	case bkDate:
		_, ok := parseXSDDate(v)
		return ok
	case bkDateTime:
		_, ok := parseXSDDateTime(v)
		return ok
	case bkTime:
		rest, ok := parseTimeOfDay(v)
		return ok && validTZ(rest)
	case bkGYear:
		rest, _, ok := parseYear(v)
		return ok && validTZ(rest)
	case bkGYearMonth:
		rest, _, ok := parseYear(v)
		if !ok || len(rest) < 3 || rest[0] != '-' {
			return false
		}
		m, ok := twoDigits(rest[1:3])
		return ok && m >= 1 && m <= 12 && validTZ(rest[3:])
	case bkGMonth:
		if len(v) < 4 || v[:2] != "--" {
			return false
		}
		m, ok := twoDigits(v[2:4])
		return ok && m >= 1 && m <= 12 && validTZ(v[4:])
	case bkGMonthDay:
		if len(v) < 7 || v[:2] != "--" || v[4] != '-' {
			return false
		}
		m, ok1 := twoDigits(v[2:4])
		d, ok2 := twoDigits(v[5:7])
		return ok1 && ok2 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(m, 2000) && validTZ(v[7:])
	case bkGDay:
		if len(v) < 5 || v[:3] != "---" {
			return false
		}
		d, ok := twoDigits(v[3:5])
		return ok && d >= 1 && d <= 31 && validTZ(v[5:])
	case bkDuration:
		return reDuration.MatchString(v) && v != "P" && v != "-P" && !strings.HasSuffix(v, "T")
	case bkBase64:
		return reBase64.MatchString(v)
	case bkHex:
		if len(v)%2 != 0 {
			return false
		}
		for i := 0; i < len(v); i++ {
			c := v[i] | 0x20
			if !(v[i] >= '0' && v[i] <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
		return true
	}
	return true
}

func isNmtoken(v string) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if !isNameRune(r) {
			return false
		}
	}
	return true
}

func isDecimal(v string) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	digits := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
		digits++
	}
	if i < len(v) && v[i] == '.' {
		i++
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
			digits++
		}
	}
	return i == len(v) && digits > 0
}

func isIntegerIn(v string, lo, hi *big.Int) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	if i == len(v) {
		return false
	}
	for j := i; j < len(v); j++ {
		if v[j] < '0' || v[j] > '9' {
			return false
		}
	}
	if lo == nil && hi == nil {
		return true
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && (lo == nil || lo.IsInt64()) && (hi == nil || hi.IsInt64()) {
		return (lo == nil || n >= lo.Int64()) && (hi == nil || n <= hi.Int64())
	}
	n, ok := new(big.Int).SetString(strings.TrimPrefix(v, "+"), 10)
	if !ok {
		return false
	}
	return (lo == nil || n.Cmp(lo) >= 0) && (hi == nil || n.Cmp(hi) <= 0)
}

// validAnyURI follows libxml2, which the official validator uses: characters
// that may not appear in a URI (spaces, non-ASCII, <>"{}|\^`') are first
// escaped, and the result must then parse as an RFC 3986 URI reference. In
// practice this fails on malformed percent escapes, a second '#', brackets
// outside a host, a non-numeric port, and a colon in the first segment of a
// relative reference (such as "2019-02-28T10:00:00").
func validAnyURI(v string) bool {
	if v == "" {
		return true
	}
	// scheme
	rest := v
	if i := strings.IndexAny(v, ":/?#"); i >= 0 && v[i] == ':' {
		if !validScheme(v[:i]) {
			return false
		}
		rest = v[i+1:]
	}
	// fragment
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		if strings.IndexByte(rest[i+1:], '#') >= 0 || !uriChars(rest[i+1:], false) {
			return false
		}
		rest = rest[:i]
	}
	// query
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if !uriChars(rest[i+1:], false) {
			return false
		}
		rest = rest[:i]
	}
	// authority
	if strings.HasPrefix(rest, "//") {
		auth := rest[2:]
		path := ""
		if i := strings.IndexByte(auth, '/'); i >= 0 {
			auth, path = auth[:i], auth[i:]
		}
		if !validAuthority(auth) {
			return false
		}
		rest = path
	}
	return uriChars(rest, false)
}

func validScheme(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func validAuthority(a string) bool {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		if !uriChars(a[:i], false) || strings.IndexByte(a[:i], '@') >= 0 {
			return false
		}
		a = a[i+1:]
	}
	host, port := a, ""
	if strings.HasPrefix(a, "[") {
		j := strings.IndexByte(a, ']')
		if j < 0 {
			return false
		}
		host, port = a[:j+1], a[j+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
		}
		if strings.ContainsAny(host[1:j], "[]/?#@") {
			return false
		}
	} else {
		if i := strings.IndexByte(a, ':'); i >= 0 {
			host, port = a[:i], a[i+1:]
		}
		if !uriChars(host, false) || strings.IndexByte(host, ':') >= 0 {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return true
}

// uriChars checks percent escapes and the absence of brackets; every other
// character is either allowed or would have been escaped by libxml2.
func uriChars(s string, _ bool) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
		case '[', ']':
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// Dates

// xsdDate is a parsed xsd:date or xsd:dateTime; tz is the offset in minutes
// (hasTZ false when the value has no time zone).
type xsdDate struct {
	year, month, day int
	hour, min        int
	sec              float64
	hasTZ            bool
	tz               int
}

func twoDigits(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseYear reads "-?YYYY+" (no leading zero beyond four digits, not 0000).
func parseYear(v string) (rest string, year int, ok bool) {
	neg := false
	if strings.HasPrefix(v, "-") {
		neg = true
		v = v[1:]
	}
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i < 4 || (i > 4 && v[0] == '0') || i > 9 {
		return "", 0, false
	}
	y, _ := strconv.Atoi(v[:i])
	if y == 0 {
		return "", 0, false
	}
	if neg {
		y = -y
	}
	return v[i:], y, true
}

func validTZ(s string) bool {
	_, _, ok := parseTZ(s)
	return ok
}

func parseTZ(s string) (minutes int, has bool, ok bool) {
	if s == "" {
		return 0, false, true
	}
	if s == "Z" {
		return 0, true, true
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, false, false
	}
	h, ok1 := twoDigits(s[1:3])
	m, ok2 := twoDigits(s[4:6])
	if !ok1 || !ok2 || m > 59 || h > 14 || h == 14 && m != 0 {
		return 0, false, false
	}
	minutes = h*60 + m
	if s[0] == '-' {
		minutes = -minutes
	}
	return minutes, true, true
}

func parseDatePart(v string) (d xsdDate, rest string, ok bool) {
	rest, y, ok := parseYear(v)
	if !ok || len(rest) < 6 || rest[0] != '-' || rest[3] != '-' {
		return d, "", false
	}
	m, ok1 := twoDigits(rest[1:3])
	day, ok2 := twoDigits(rest[4:6])
	if !ok1 || !ok2 || m < 1 || m > 12 || day < 1 || day > daysIn(m, y) {
		return d, "", false
	}
	d.year, d.month, d.day = y, m, day
	return d, rest[6:], true
}

func parseXSDDate(v string) (xsdDate, bool) {
	d, rest, ok := parseDatePart(v)
	if !ok {
		return d, false
	}
	tz, has, ok := parseTZ(rest)
	d.tz, d.hasTZ = tz, has
	return d, ok
}

func parseTimeOfDay(v string) (rest string, ok bool) {
	_, rest, ok = timeOfDay(v)
	return rest, ok
}

func timeOfDay(v string) (hms [3]float64, rest string, ok bool) {
	if len(v) < 8 || v[2] != ':' || v[5] != ':' {
		return hms, "", false
	}
	h, ok1 := twoDigits(v[0:2])
	m, ok2 := twoDigits(v[3:5])
	s, ok3 := twoDigits(v[6:8])
	if !ok1 || !ok2 || !ok3 || m > 59 || s > 59 || h > 24 {
		return hms, "", false
	}
	i := 8
	frac := 0.0
	if i < len(v) && v[i] == '.' {
		j := i + 1
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j == i+1 {
			return hms, "", false
		}
		frac, _ = strconv.ParseFloat("0"+v[i:j], 64)
		i = j
	}
	if h == 24 && (m != 0 || s != 0 || frac != 0) {
		return hms, "", false
	}
	hms = [3]float64{float64(h), float64(m), float64(s) + frac}
	return hms, v[i:], true
}

func parseXSDDateTime(v string) (xsdDate, bool) {
	d, rest, ok := parseDatePart(v)
	if !ok || len(rest) == 0 || rest[0] != 'T' {
		return d, false
	}
	hms, rest, ok := timeOfDay(rest[1:])
	if !ok {
		return d, false
	}
	tz, has, ok := parseTZ(rest)
	if !ok {
		return d, false
	}
	d.hour, d.min, d.sec = int(hms[0]), int(hms[1]), hms[2]
	d.tz, d.hasTZ = tz, has
	return d, true
}
