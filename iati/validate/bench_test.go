package validate_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/tcmis/tcmis/iati/iatigen"
	"github.com/tcmis/tcmis/iati/validate"
)

// BenchmarkValidate50MB validates a synthetic 50 MB activity file (made once
// with iatigen) with the embedded schemas, codelists and standard ruleset.
// Figures are in BENCHMARKS.md.
func BenchmarkValidate50MB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "activities.xml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := iatigen.Write(f, iatigen.Options{TargetBytes: 50 << 20, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	v, err := validate.New(validate.Options{Now: func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	// warm up: compile the embedded schema and codelists outside the timing
	if _, err := v.ValidateFile(path); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	b.ReportAllocs()
	// sample the live heap: it should stay small whatever the file size
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := v.Validate(f, path)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Activities == 0 || rep.Errors() > 0 {
			b.Fatalf("%d activities, %d errors: the generated file should be valid", rep.Activities, rep.Errors())
		}
	}
	b.StopTimer()
	close(stop)
	<-sampled
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
