package validate

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinTypes(t *testing.T) {
	for _, c := range []struct {
		typ  string
		good []string
		bad  []string
	}{
		{"date", []string{"2013-11-27", " 2013-11-27 ", "2012-02-29", "2013-11-27Z", "2013-11-27+14:00", "-0044-03-15", "12013-01-01"},
			[]string{"", "xx", "123456", "2013-1-27", "2013-11-31", "2013-02-29", "2013-11-27T00:00:00", "0000-01-01", "2013-11-27+15:00", "02013-01-01", "2013/11/27"}},
		{"dateTime", []string{"2014-09-10T07:15:37Z", "2014-09-10T07:15:37", "2019-02-28T16:36:46.506663+00:00", "2014-09-10T24:00:00"},
			[]string{"2014-09-10", "2014-09-10T25:00:00", "2014-09-10T10:60:00", "2014-09-10 07:15:37", "2014-09-10T24:00:01", "2014-09-10T07:15:37.Z"}},
		{"decimal", []string{"0", "-1.5", "+.5", "5.", "00012.3400", " 7 "}, []string{"", "1,5", "1e3", ".", "-", "NaN", "1 000"}},
		{"int", []string{"0", "-2147483648", "2147483647", "+5"}, []string{"2147483648", "1.0", "", "x"}},
		{"nonNegativeInteger", []string{"0", "-0", "12"}, []string{"-1", "1.5"}},
		{"positiveInteger", []string{"1", "2017"}, []string{"0", "-3"}},
		{"boolean", []string{"true", "false", "1", "0", " true "}, []string{"yes", "TRUE", "2", ""}},
		{"NMTOKEN", []string{"a-b.c", "12", "x:y"}, []string{"", "a b", "a&b"}},
		{"language", []string{"en", "fr-CA", "zh-Hant-TW"}, []string{"", "englishlanguage", "e n", "123"}},
		{"anyURI", []string{"", "http://example.org/a b", "https://[::1]:80/x?y#z", "mailto:a@b", "relative/path", "http:www.example.org/x", "caf\u00e9"},
			[]string{"2019-02-28T10:00:00", "http://a/%zz", "a#b#c", "http://host:port/", "x[y]"}},
		{"string", []string{"", "anything <at> all"}, nil},
		{"time", []string{"10:20:30", "10:20:30.25Z", "24:00:00+01:00"}, []string{"10:20", "25:00:00", "10:20:30+15:00"}},
		{"gYear", []string{"2020", "-0001", "2020Z"}, []string{"20", "0000", "2020-01"}},
		{"gYearMonth", []string{"2020-02", "2020-12+02:00"}, []string{"2020-13", "2020"}},
		{"gMonthDay", []string{"--02-29", "--12-31"}, []string{"--02-30", "02-28"}},
		{"gDay", []string{"---31"}, []string{"---32", "--31"}},
		{"gMonth", []string{"--12"}, []string{"--13"}},
		{"duration", []string{"P1Y2M3DT4H5M6.5S", "-P1D", "PT1S"}, []string{"P", "P1Y2", "PT", "1D"}},
		{"double", []string{"1", "-1.5e10", "INF", "NaN", ".5"}, []string{"1,5", "inf", "e5"}},
		{"base64Binary", []string{"", "YWJj", "YWI=", "YQ=="}, []string{"YWJ", "Y===", "*"}},
		{"hexBinary", []string{"", "0aFF"}, []string{"0", "xy"}},
		{"QName", []string{"a", "p:a"}, []string{"1a", "p:", ":a"}},
		{"NCName", []string{"a-b"}, []string{"p:a", ""}},
		{"unsignedByte", []string{"255"}, []string{"256", "-1"}},
		{"NMTOKENS", []string{"a b c"}, []string{"", "a &"}},
	} {
		st := builtinTypes[c.typ]
		for _, v := range c.good {
			if !st.validate(v) {
				t.Errorf("%s: %q rejected", c.typ, v)
			}
		}
		for _, v := range c.bad {
			if st.validate(v) {
				t.Errorf("%s: %q accepted", c.typ, v)
			}
		}
	}
}

// A schema using the constructs the IATI schemas do not, to check the
// compiler beyond them: all, choice, occurrence bounds, groups, facets,
// lists, unions, fixed values and complex content restriction.
const testXSD = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="root">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="pair" type="pairType" minOccurs="2" maxOccurs="3"/>
        <xs:choice>
          <xs:element name="a" type="code"/>
          <xs:element name="b" type="codes"/>
        </xs:choice>
        <xs:group ref="tail"/>
        <xs:element name="any" minOccurs="0">
          <xs:complexType><xs:all><xs:element name="x"/><xs:element name="y" minOccurs="0"/></xs:all></xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="v" type="vType" fixed="1.0"/>
    </xs:complexType>
  </xs:element>
  <xs:group name="tail"><xs:sequence><xs:element name="num" type="small" maxOccurs="unbounded"/></xs:sequence></xs:group>
  <xs:complexType name="pairType"><xs:attribute name="k" type="xs:string" use="required"/></xs:complexType>
  <xs:simpleType name="code"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}\d"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="codes"><xs:list itemType="code"/></xs:simpleType>
  <xs:simpleType name="small"><xs:restriction base="xs:decimal"><xs:minInclusive value="0"/><xs:maxExclusive value="10"/><xs:fractionDigits value="1"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="vType"><xs:union memberTypes="xs:decimal"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="none"/></xs:restriction></xs:simpleType></xs:union></xs:simpleType>
</xs:schema>`

func TestSchemaCompiler(t *testing.T) {
	s, err := loadSchema(fstest.MapFS{"t.xsd": {Data: []byte(testXSD)}}, "t.xsd")
	if err != nil {
		t.Fatal(err)
	}
	check := func(doc string) []string {
		var probs []string
		v := newSchemaValidator(s, func(line, col int, path, msg string) { probs = append(probs, msg) })
		sc := newScanner(strings.NewReader(doc))
		for {
			k, err := sc.next()
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			switch k {
			case tokStart:
				v.start(sc.name, sc.prefix, sc.attrs, sc.tokLine, sc.tokCol)
			case tokText:
				v.text(sc.text)
			case tokEnd:
				v.end()
			case tokEOF:
				return probs
			}
		}
	}
	const head = `<root xmlns="urn:t"`
	for _, c := range []struct {
		body string
		want string // "" for valid, else a substring of the first problem
	}{
		{`><pair k="1"/><pair k="2"/><a>AB1</a><num>1.5</num></root>`, ""},
		{` v="1.00"><pair k="1"/><pair k="2"/><pair k="3"/><b>AB1 CD2</b><num>0</num><num>9.9</num><any><y/><x/></any></root>`, ""},
		{`><pair k="1"/><a>AB1</a><num>1</num></root>`, "This element is not expected. Expected is ( {urn:t}pair )"},
		{`><pair k="1"/><pair k="2"/><pair k="3"/><pair k="4"/><a>AB1</a><num>1</num></root>`, "{urn:t}pair': This element is not expected"},
		{`><pair k="1"/><pair/><a>AB1</a><num>1</num></root>`, "The attribute 'k' is required but missing"},
		{`><pair k="1"/><pair k="2"/><a>ab1</a><num>1</num></root>`, "'ab1' is not a valid value of the atomic type 'code'"},
		{`><pair k="1"/><pair k="2"/><b>AB1 x</b><num>1</num></root>`, "not a valid value of the list type 'codes'"},
		{`><pair k="1"/><pair k="2"/><a>AB1</a><num>10</num></root>`, "'10' is not a valid value"},
		{`><pair k="1"/><pair k="2"/><a>AB1</a><num>1.25</num></root>`, "'1.25' is not a valid value"},
		{`><pair k="1"/><pair k="2"/><a>AB1</a><b>AB1</b><num>1</num></root>`, "{urn:t}b': This element is not expected"},
		{`><pair k="1"/><pair k="2"/><a>AB1</a></root>`, "Missing child element(s). Expected is ( {urn:t}num )"},
		{`><pair k="1"/><pair k="2"/><a>AB1</a><num>1</num><any><y/></any></root>`, "Missing child element(s). Expected is ( {urn:t}x )"},
		{`><pair k="1"/><pair k="2"/><a>AB1</a><num>1</num><any><x/><x/></any></root>`, "{urn:t}x': This element is not expected"},
		{` v="2"><pair k="1"/><pair k="2"/><a>AB1</a><num>1</num></root>`, "does not match the fixed value constraint '1.0'"},
		{` v="x"><pair k="1"/><pair k="2"/><a>AB1</a><num>1</num></root>`, "not a valid value of the union type 'vType'"},
		{`><pair k="1">text</pair><pair k="2"/><a>AB1</a><num>1</num></root>`, "Character content is not allowed, because the content type is empty"},
		{`><pair k="1"/><pair k="2"/><a>AB1<x/></a><num>1</num></root>`, "because the type definition is simple"},
	} {
		probs := check(head + c.body)
		switch {
		case c.want == "" && len(probs) > 0:
			t.Errorf("%s: unexpected %q", c.body, probs)
		case c.want != "" && len(probs) == 0:
			t.Errorf("%s: valid, want %q", c.body, c.want)
		case c.want != "" && !strings.Contains(probs[0], c.want):
			t.Errorf("%s: got %q, want %q", c.body, probs[0], c.want)
		}
	}
}

func TestEmbeddedSchemasCompile(t *testing.T) {
	for _, v := range SchemaVersions {
		for _, kind := range []string{"activities", "organisations"} {
			s, err := embeddedSchema(v, kind)
			if err != nil {
				t.Errorf("%s %s: %v", v, kind, err)
				continue
			}
			if s.elements[qname{"", "iati-" + kind}] == nil {
				t.Errorf("%s %s: no root element declaration", v, kind)
			}
		}
	}
}

func TestEmbeddedCodelists(t *testing.T) {
	cs, err := embeddedCodelists()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cs.mappings); n != 124 {
		t.Errorf("%d mappings, want the 124 of mapping.xml", n)
	}
	for name, code := range map[string]string{"Sector": "11110", "Country": "AF", "Version": "2.03", "ActivityStatus": "2", "Language": "en"} {
		if !cs.lists[name].codes[code] {
			t.Errorf("codelist %s lacks %s", name, code)
		}
	}
	if cs.lists["Sector"].complete != true || cs.lists["Language"].complete != false {
		t.Errorf("complete flags wrong")
	}
}

// Derivation: complexContent extension and restriction, simpleContent
// restriction, attribute groups and wildcard unions, chameleon include.
const derivXSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="inc.xsd"/>
  <xs:element name="doc">
    <xs:complexType><xs:sequence>
      <xs:element name="ext" type="extType"/>
      <xs:element name="res" type="resType"/>
      <xs:element name="amount" type="smallAmount"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:complexType name="baseType">
    <xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence>
    <xs:attributeGroup ref="common"/>
    <xs:anyAttribute namespace="urn:one" processContents="skip"/>
  </xs:complexType>
  <xs:complexType name="extType"><xs:complexContent><xs:extension base="baseType">
    <xs:sequence><xs:element name="b" type="xs:int" minOccurs="0"/></xs:sequence>
    <xs:attribute name="extra" type="xs:boolean"/>
    <xs:anyAttribute namespace="urn:two" processContents="skip"/>
  </xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="resType"><xs:complexContent><xs:restriction base="baseType">
    <xs:sequence><xs:element name="a" type="xs:string" minOccurs="0"/></xs:sequence>
    <xs:attribute name="id" use="prohibited"/>
  </xs:restriction></xs:complexContent></xs:complexType>
  <xs:attributeGroup name="common"><xs:attribute name="id" type="xs:NCName"/></xs:attributeGroup>
</xs:schema>`

const incXSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="amountType"><xs:simpleContent><xs:extension base="xs:decimal">
    <xs:attribute name="currency" type="xs:string" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="smallAmount"><xs:simpleContent><xs:restriction base="amountType">
    <xs:maxInclusive value="100"/>
  </xs:restriction></xs:simpleContent></xs:complexType>
</xs:schema>`

func TestSchemaDerivation(t *testing.T) {
	s, err := loadSchema(fstest.MapFS{"d.xsd": {Data: []byte(derivXSD)}, "inc.xsd": {Data: []byte(incXSD)}}, "d.xsd")
	if err != nil {
		t.Fatal(err)
	}
	check := func(doc string) []string {
		var probs []string
		v := newSchemaValidator(s, func(line, col int, path, msg string) { probs = append(probs, msg) })
		sc := newScanner(strings.NewReader(doc))
		for {
			k, err := sc.next()
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			switch k {
			case tokStart:
				v.start(sc.name, sc.prefix, sc.attrs, sc.tokLine, sc.tokCol)
			case tokText:
				v.text(sc.text)
			case tokEnd:
				v.end()
			case tokEOF:
				return probs
			}
		}
	}
	const ns = ` xmlns:one="urn:one" xmlns:two="urn:two" xmlns:three="urn:three"`
	for _, c := range []struct{ doc, want string }{
		{`<doc` + ns + `><ext id="x" extra="true" one:a="1" two:b="2"><a/><b>3</b></ext><res/><amount currency="EUR">99.5</amount></doc>`, ""},
		{`<doc` + ns + `><ext three:c="1"><a/></ext><res/><amount currency="EUR">1</amount></doc>`, "attribute '{urn:three}c': The attribute '{urn:three}c' is not allowed"},
		{`<doc` + ns + `><ext><a/><b>x</b></ext><res/><amount currency="EUR">1</amount></doc>`, "'x' is not a valid value of the atomic type 'xs:int'"},
		{`<doc` + ns + `><ext><b>1</b></ext><res/><amount currency="EUR">1</amount></doc>`, "Element 'b': This element is not expected. Expected is ( a )"},
		{`<doc` + ns + `><ext id="1x"><a/></ext><res/><amount currency="EUR">1</amount></doc>`, "'1x' is not a valid value of the atomic type 'xs:NCName'"},
		{`<doc` + ns + `><ext><a/></ext><res id="x"/><amount currency="EUR">1</amount></doc>`, "The attribute 'id' is not allowed"},
		{`<doc` + ns + `><ext><a/></ext><res/><amount currency="EUR">101</amount></doc>`, "'101' is not a valid value of the local atomic type"},
		{`<doc` + ns + `><ext><a/></ext><res/><amount>1</amount></doc>`, "The attribute 'currency' is required but missing"},
	} {
		probs := check(c.doc)
		switch {
		case c.want == "" && len(probs) > 0:
			t.Errorf("%s: unexpected %q", c.doc, probs)
		case c.want != "" && len(probs) == 0:
			t.Errorf("%s: valid, want %q", c.doc, c.want)
		case c.want != "" && !strings.Contains(probs[0], c.want):
			t.Errorf("%s: got %q, want %q", c.doc, probs[0], c.want)
		}
	}
}
