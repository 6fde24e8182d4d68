package validate_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis/iati/iatigen"
	"github.com/tcmis/tcmis/iati/validate"
)

// FuzzValidate feeds arbitrary bytes to the validator: it must never panic,
// and its answer must be consistent (an error is a *SyntaxError, reported
// last in the report as well).
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		activityDoc(` xml:lang="en" default-currency="EUR"`, `<iati-identifier>A-1</iati-identifier><reporting-org ref="A" type="10"><narrative>N</narrative></reporting-org>
			<title><narrative>T</narrative></title><description><narrative>D</narrative></description><participating-org role="1"/>
			<activity-status code="2"/><activity-date type="2" iso-date="2020-01-01"/><sector code="11110" percentage="100"/>
			<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2021-06-01"/><value>1</value></budget>
			<result type="1"><title><narrative>R</narrative></title><indicator measure="1"><title><narrative>I</narrative></title><baseline year="2020" value="x"/></indicator></result>`),
		`<iati-organisations version="2.03"><iati-organisation><organisation-identifier>X</organisation-identifier></iati-organisation></iati-organisations>`,
		`<iati-activities version="1.03"><iati-activity><title>T</title></iati-activity></iati-activities>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><iati-activities version="2.03" xmlns:x="urn:x"><x:e x:a="1"/><iati-activity x:b="2"><x:f/></iati-activity></iati-activities>`,
		`<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>`,
		`<a><![CDATA[x]]><!-- c --><?pi x?>&#x41;&lt;</a>`,
		"\xff\xfe<\x00a\x00/\x00>\x00",
		"<iati-activities version=\"2.03\"><iati-activity><iati-identifier>A</iati-identifier></iati-activity><iati-activity><iati-identifier>A</iati-identifier>",
		"",
	} {
		f.Add([]byte(seed))
	}
	// a realistic activity, small enough for the fuzzer to minimise quickly
	var gen bytes.Buffer
	if err := iatigen.Write(&gen, iatigen.Options{Activities: 1, Seed: 4}); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	v, err := validate.New(validate.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := v.Validate(bytes.NewReader(data), "fuzz.xml")
		if rep == nil {
			t.Fatalf("nil report (err %v)", err)
		}
		if err != nil {
			var se *validate.SyntaxError
			if !errors.As(err, &se) && !strings.Contains(err.Error(), "fuzz.xml") {
				t.Fatalf("error without the file name: %v", err)
			}
			if se != nil && (len(rep.Problems) == 0 || rep.Problems[len(rep.Problems)-1].RuleID != validate.RuleXML) {
				t.Fatalf("syntax error %v not the last problem", err)
			}
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("internal error: %v", err)
			}
		}
		for _, p := range rep.Problems {
			if p.RuleID == "internal" {
				t.Fatalf("internal error: %+v", p)
			}
			if p.Line < 0 || p.Column < 0 {
				t.Fatalf("bad position %+v", p)
			}
		}
	})
}
