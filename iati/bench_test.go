package iati_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tcmis/tcmis/iati"
	"github.com/tcmis/tcmis/iati/iatigen"
)

// generated writes a synthetic file of about size bytes once per run.
func generated(b *testing.B, size int64) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "generated.xml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := iatigen.Write(f, iatigen.Options{TargetBytes: size, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(path)
	return path, fi.Size()
}

// BenchmarkImport imports a 20 MB generated file into a new SQLite
// database: reading, mapping and storing, without the validator (whose
// speed the validate package measures). MB/s is the file's size.
func BenchmarkImport(b *testing.B) {
	path, size := generated(b, 20e6)
	b.SetBytes(size)
	activities := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDB(b, "sqlite")
		b.StartTimer()
		s, err := iati.ImportFile(ctx, db, path, iati.Options{})
		if err != nil {
			b.Fatal(err)
		}
		activities += s.Activities
	}
	b.ReportMetric(float64(activities)/b.Elapsed().Seconds(), "activities/s")
}

// BenchmarkRead reads the same file without storing it.
func BenchmarkRead(b *testing.B) {
	path, size := generated(b, 20e6)
	data, _ := os.ReadFile(path)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rd, err := iati.NewReader(bytes.NewReader(data), "generated.xml")
		if err != nil {
			b.Fatal(err)
		}
		for {
			a, err := rd.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			a.ToProject()
		}
	}
}
