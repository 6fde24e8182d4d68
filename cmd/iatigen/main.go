// Command iatigen writes a synthetic IATI 2.03 activity file of a given
// size or number of activities (package iati/iatigen), for benchmarks:
//
//	iatigen -size 1GB -out big.xml
//	iatigen -activities 1000 > small.xml
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tcmis/tcmis/iati/iatigen"
)

func main() {
	var (
		size       = flag.String("size", "", "approximate file size, such as 50MB or 1GB")
		activities = flag.Int("activities", 0, "number of activities (instead of -size)")
		seed       = flag.Int64("seed", 1, "random seed")
		out        = flag.String("out", "", "file to write (default standard output)")
	)
	flag.Parse()
	opts := iatigen.Options{Activities: *activities, Seed: *seed}
	if *size != "" {
		n, err := parseSize(*size)
		if err != nil {
			fail(err)
		}
		opts.TargetBytes = n
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		w = f
	}
	if err := iatigen.Write(w, opts); err != nil {
		fail(err)
	}
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		n      int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, unit := range units {
		if num, ok := strings.CutSuffix(u, unit.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("-size %q: write a size such as 50MB or 1GB", s)
			}
			return int64(v * float64(unit.n)), nil
		}
	}
	v, err := strconv.ParseInt(u, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("-size %q: write a size such as 50MB or 1GB", s)
	}
	return v, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "iatigen:", err)
	os.Exit(1)
}
