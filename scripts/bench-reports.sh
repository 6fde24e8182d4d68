#!/usr/bin/env bash
# Measures every report on the demo portfolio and on a large SQLite
# database of a million projects and ten million money rows, and prints
# the figures to copy into doc/benchmarks.md (section "Reports"). Not part
# of the tests.
#
# The large database is built once (about ten minutes) and kept in
# $TCMIS_BENCH_CACHE (default ~/.cache/tcmis); its name carries a hash of
# what decides its content (the generator, the report sums and their
# migration), so a change to them builds a new one.
#
#   scripts/bench-reports.sh              # demo and large database
#   BENCHTIME=5x scripts/bench-reports.sh # more runs of each report
#   LARGE=off scripts/bench-reports.sh    # the demo portfolio only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
benchtime=${BENCHTIME:-3x}
cache=${TCMIS_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcmis}
mkdir -p "$cache"
hash=$(cat report/large_test.go sqldb/sums.go sqldb/migrations/sqlite/0003_reports.sql | sha256sum | cut -c1-12)
db="$cache/reports-1m-$hash.db"

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(go version)"
grep -m1 'model name' /proc/cpuinfo || true

echo "== reports on the demo portfolio (SQLite), go test -bench BenchmarkReports -benchtime $benchtime"
go test -run '^$' -bench 'BenchmarkReports$' -benchtime "$benchtime" -timeout 30m ./report | grep -E '^(Benchmark|ok|FAIL)'

if [ "${LARGE:-}" != off ]; then
	if [ ! -f "$db" ]; then
		echo "== building $db (once)"
	fi
	echo "== reports on a million projects and ten million money rows (SQLite, $db)"
	TCMIS_BENCH_DB="$db" go test -run '^$' -bench 'BenchmarkReportsLarge' -benchtime "$benchtime" -timeout 4h ./report | grep -E '^(Benchmark|built|ok|FAIL)'
	ls -l "$db"
fi
