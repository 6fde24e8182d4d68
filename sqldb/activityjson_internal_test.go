package sqldb

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
	"github.com/tcmis/tcmis/iati/iatigen"
)

// checkActivityJSON fails unless the hand-written document of an
// activity is the one encoding/json writes.
func checkActivityJSON(t *testing.T, a *tcmis.Activity) {
	t.Helper()
	c := *a
	c.ProjectID = 0
	want, wantErr := json.Marshal(&c)
	got, err := appendActivityJSON(nil, a)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("activity %s: error %v, encoding/json's %v", a.Identifier, err, wantErr)
	}
	if wantErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("activity %s:\n got %s\nwant %s", a.Identifier, got, want)
	}
}

// TestActivityJSON compares the documents with encoding/json's on
// activities whose every field is set (so that a field added to the model
// and not to the encoder fails here), on empty ones, on awkward strings
// and times, and on generated and published IATI files.
func TestActivityJSON(t *testing.T) {
	checkActivityJSON(t, &tcmis.Activity{})
	rnd := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		a := &tcmis.Activity{}
		fill(reflect.ValueOf(a).Elem(), rnd, i == 0)
		checkActivityJSON(t, a)
	}
	// Times encoding/json refuses, and times in other zones.
	for _, tm := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2020, 5, 6, 7, 8, 9, 123456789, time.FixedZone("", 5*3600+1800)),
		time.Date(2020, 5, 6, 7, 8, 9, 0, time.FixedZone("", 24*3600)),
	} {
		checkActivityJSON(t, &tcmis.Activity{Identifier: "X", Dates: []tcmis.ActivityDate{{Date: tm}},
			Transactions: []tcmis.Transaction{{Date: tm}}})
	}

	var gen bytes.Buffer
	if err := iatigen.Write(&gen, iatigen.Options{Activities: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"generated.xml": gen.Bytes()}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "shared", "iati", "samples", "*.xml"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	for name, data := range files {
		rd, err := iati.NewReader(bytes.NewReader(data), name)
		if err != nil {
			continue // the organisation file
		}
		for {
			a, err := rd.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			checkActivityJSON(t, a)
		}
	}
}

// awkward are strings encoding/json escapes.
var awkward = []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\r\x00\x01\x1f\b\f",
	"café ünïcødé 日本", "line\u2028para\u2029", "bad \xff\xfe utf8 \xe2\x82", "\x7f del", "emoji 😀"}

// fill sets every field of v: strings from awkward (or random bytes),
// two elements in each slice, every pointer and bool set.
func fill(v reflect.Value, rnd *rand.Rand, first bool) {
	switch v.Kind() {
	case reflect.String:
		s := awkward[rnd.Intn(len(awkward))]
		if rnd.Intn(4) == 0 {
			b := make([]byte, rnd.Intn(12))
			rnd.Read(b)
			s = string(b)
		}
		if first && s == "" {
			s = "set"
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(first || rnd.Intn(2) == 0)
	case reflect.Int64:
		v.SetInt(rnd.Int63n(1e15) - 5e14)
	case reflect.Pointer:
		if first || rnd.Intn(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), rnd, first)
		}
	case reflect.Slice:
		n := rnd.Intn(3)
		if first {
			n = 2
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := 0; i < n; i++ {
			fill(v.Index(i), rnd, first)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			if first || rnd.Intn(4) > 0 {
				v.Set(reflect.ValueOf(time.Date(1900+rnd.Intn(300), time.Month(1+rnd.Intn(12)), 1+rnd.Intn(28), 0, 0, 0, 0, time.UTC)))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), rnd, first)
		}
	default:
		panic("fill: no case for " + v.Type().String())
	}
}
