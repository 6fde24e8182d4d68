#!/usr/bin/env bash
# Measures tcmis: the Go benchmarks of the store, the importer and the demo,
# and the demo load at a large scale on SQLite and on PostgreSQL. Prints
# figures to copy into doc/benchmarks.md. Not part of the tests.
#
#   scripts/bench.sh            # everything (scale 100: several minutes)
#   SCALE=10 scripts/bench.sh   # a quicker demo load
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scale=${SCALE:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(go version)"

echo "== go test -bench (store, importer, demo)"
go test -run '^$' -bench . -benchtime 1x -count 1 ./sqldb ./importer ./demo 2>&1 | grep -E '^(Benchmark|ok|PASS|FAIL)' || true

go build -o "$work/tcmis" ./cmd/tcmis

echo "== tcmis demo --scale $scale on SQLite"
"$work/tcmis" --db "$work/bench.db" demo --scale "$scale"

if [ "${TCMIS_TEST_POSTGRES:-}" != off ]; then
	echo "== tcmis demo --scale $scale on PostgreSQL"
	db=tcmis_bench_$$
	psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
	trap 'psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$work"' EXIT
	"$work/tcmis" --db "postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" demo --scale "$scale"
fi
