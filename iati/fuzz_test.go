package iati_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
)

// FuzzReader feeds the reader arbitrary bytes: it must never panic or
// hang, and what it reads without error must survive being written and
// read again. go test runs the seeds; go test -fuzz FuzzReader explores.
func FuzzReader(f *testing.F) {
	f.Add([]byte(activity("")))
	f.Add([]byte(activity(`<transaction ref="1"><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value currency="EUR" value-date="2020-01-01">12.5</value><sector code="1"/><x:y xmlns:x="urn:x"/></transaction><contact-info><email>a</email></contact-info><foo bar="1"/>`)))
	f.Add([]byte(`<iati-activities version="1.03"><iati-activity default-currency="EUR"><iati-identifier>A</iati-identifier><title xml:lang="fr">T</title><activity-date type="start-planned">2020-01-01</activity-date><transaction><transaction-type code="C"/><transaction-date iso-date="2020-01-02"/><value>1</value></transaction><participating-org role="Funding">X</participating-org></iati-activity></iati-activities>`))
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1252"?><iati-activities version="2.01"><iati-activity><iati-identifier>B</iati-identifier></iati-activity></iati-activities>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "a">]><iati-activities/>`))
	f.Add([]byte("<iati-activities version=\"2.03\"><iati-activity><iati-identifier>"))
	if data, err := os.ReadFile(filepath.Join("..", "..", "shared", "iati", "samples", "annotated-example-2.03.xml")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := iati.NewReader(bytes.NewReader(data), "fuzz.xml")
		if err != nil {
			return
		}
		var as []*tcmis.Activity
		for {
			a, err := rd.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				return
			}
			as = append(as, a)
		}
		if rd.Err() != nil {
			return
		}
		var buf bytes.Buffer
		x := iati.NewWriter(&buf, fixedTime)
		for _, a := range as {
			if err := x.Write(a); err != nil {
				t.Fatalf("write: %v", err)
			}
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := iati.NewReader(bytes.NewReader(buf.Bytes()), "again.xml")
		if err != nil {
			t.Fatalf("the writer's output cannot be read: %v\n%s", err, buf.Bytes())
		}
		for i := 0; ; i++ {
			a, err := again.Next()
			if err == io.EOF {
				if i != len(as) {
					t.Fatalf("%d activities read back, want %d", i, len(as))
				}
				break
			} else if err != nil {
				t.Fatalf("the writer's output cannot be read: %v\n%s", err, buf.Bytes())
			}
			if !reflect.DeepEqual(a, as[i]) {
				t.Fatalf("activity %d changed:\n%s\n%s", i, diff(as[i], a), buf.Bytes())
			}
		}
	})
}
