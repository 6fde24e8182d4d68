package iati_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tcmis/tcmis"
	"github.com/tcmis/tcmis/iati"
)

var fixedTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// samples is the folder of published IATI files beside the repository.
func samples(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "iati", "samples")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the shared IATI samples are missing (%v): tests expect ../shared beside the repository", err)
	}
	return dir
}

func schema(t testing.TB) string {
	t.Helper()
	return filepath.Join("..", "..", "shared", "iati", "schemas", "2.03", "iati-activities-schema.xsd")
}

// readAll reads every activity of a file.
func readAll(t testing.TB, r io.Reader, name string) ([]*tcmis.Activity, *iati.Reader) {
	t.Helper()
	rd, err := iati.NewReader(r, name)
	if err != nil {
		t.Fatal(err)
	}
	var as []*tcmis.Activity
	for {
		a, err := rd.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	return as, rd
}

func readFile(t testing.TB, path string) ([]*tcmis.Activity, *iati.Reader) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readAll(t, f, filepath.Base(path))
}

func writeAll(t testing.TB, as []*tcmis.Activity) []byte {
	t.Helper()
	var buf bytes.Buffer
	x := iati.NewWriter(&buf, fixedTime)
	for _, a := range as {
		if err := x.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xmllint checks a file against the official 2.03 schema with libxml2.
// It fails when xmllint is missing: scripts/setup.sh installs it.
func xmllint(t *testing.T, data []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint is not installed (Debian package libxml2-utils; scripts/setup.sh installs it)")
	}
	f := filepath.Join(t.TempDir(), "export.xml")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", schema(t), f).CombinedOutput()
	if err != nil {
		t.Fatalf("the export does not validate against the IATI 2.03 schema:\n%s", clip(string(out), 3000))
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func TestSampleCounts(t *testing.T) {
	for _, tc := range []struct {
		file                     string
		activities, transactions int
	}{
		{"iom-2.03.xml", 577, -1},
		{"ec-elarg-1.04.xml", 105, 1306},
		{"foodsecurity-2.03.xml", 7, 63},
		{"annotated-example-2.03.xml", 1, -1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			as, rd := readFile(t, filepath.Join(samples(t), tc.file))
			if len(as) != tc.activities {
				t.Errorf("%d activities, want %d", len(as), tc.activities)
			}
			n := 0
			for _, a := range as {
				n += len(a.Transactions)
			}
			if tc.transactions >= 0 && n != tc.transactions {
				t.Errorf("%d transactions, want %d", n, tc.transactions)
			}
			if err := rd.Err(); err != nil {
				t.Errorf("errors reading a published file: %v", err)
			}
		})
	}
}

// Every sample file survives the round trip: read, written as 2.03, the
// export valid against the schema, read again to the same values, and
// the export equal to its golden file.
func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samples(t), "*.xml"))
	for _, path := range files {
		name := filepath.Base(path)
		if strings.Contains(name, "organisation") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			first, _ := readFile(t, path)
			out := writeAll(t, first)
			xmllint(t, out)
			second, rd := readAll(t, bytes.NewReader(out), "export.xml")
			if err := rd.Err(); err != nil {
				t.Fatalf("errors reading the export: %v", err)
			}
			if len(second) != len(first) {
				t.Fatalf("%d activities after the round trip, want %d", len(second), len(first))
			}
			for i := range first {
				if !reflect.DeepEqual(first[i], second[i]) {
					t.Fatalf("activity %s changed in the round trip:\n%s", first[i].Identifier, diff(first[i], second[i]))
				}
			}
			again := writeAll(t, second)
			if !bytes.Equal(out, again) {
				t.Errorf("the second export differs from the first")
			}
			golden(t, filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".xml")+".export.xml"), out)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update if the change is right)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: %d lines, want %d (run go test -update if the change is right)", path, len(gl), len(wl))
	}
}
