package iatigen_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis/iati/iatigen"
	"github.com/tcmis/tcmis/iati/validate"
)

func generate(t *testing.T, opts iatigen.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := iatigen.Write(&b, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := generate(t, iatigen.Options{Activities: 20, Seed: 7})
	b := generate(t, iatigen.Options{Activities: 20, Seed: 7})
	c := generate(t, iatigen.Options{Activities: 20, Seed: 8})
	if !bytes.Equal(a, b) {
		t.Error("same seed, different output")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds, same output")
	}
	if n := bytes.Count(a, []byte("<iati-activity ")); n != 20 {
		t.Errorf("%d activities, want 20", n)
	}
}

func TestTargetBytes(t *testing.T) {
	const target = 2 << 20
	out := generate(t, iatigen.Options{TargetBytes: target, Seed: 1})
	if len(out) < target || len(out) > target+64<<10 {
		t.Errorf("%d bytes for a target of %d", len(out), target)
	}
}

// The generated activities are valid: schema, codelists and the standard
// ruleset find no error and no warning.
func TestValid(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		out := generate(t, iatigen.Options{Activities: 200, Seed: seed})
		v, err := validate.New(validate.Options{Now: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.Validate(bytes.NewReader(out), "gen.xml")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Activities != 200 || len(rep.Problems) > 0 {
			var b strings.Builder
			validate.WriteText(&b, rep)
			t.Errorf("seed %d: %d activities, problems:\n%s", seed, rep.Activities, b.String())
		}
	}
}

func TestVariety(t *testing.T) {
	out := string(generate(t, iatigen.Options{Activities: 300, Seed: 3}))
	for _, want := range []string{
		`<transaction-type code="1"/>`, `<transaction-type code="2"/>`, `<transaction-type code="3"/>`,
		`<transaction-type code="4"/>`, `<transaction-type code="11"/>`, "<recipient-region ", "<recipient-country ",
		"<result ", "<indicator measure=\"5\"", "<baseline ", "<planned-disbursement ", "<document-link ",
		"<policy-marker ", "&amp;", `xml:lang="fr"`, "<contact-info ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in 300 activities", want)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	var b bytes.Buffer
	if err := iatigen.Write(&b, iatigen.Options{}); err == nil {
		t.Error("no size accepted")
	}
	if err := iatigen.Write(&b, iatigen.Options{Activities: -1}); err == nil {
		t.Error("negative size accepted")
	}
}

func BenchmarkWrite(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; i < b.N; i++ {
		buf.Reset()
		iatigen.Write(&buf, iatigen.Options{Activities: 1000, Seed: int64(i)})
	}
	b.SetBytes(int64(buf.Len()))
}
