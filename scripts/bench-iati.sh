#!/usr/bin/env bash
# IATI import benchmark: generates a synthetic IATI 2.03 file (default
# about 1 GB, iati/iatigen), imports it into a new SQLite database with
# `tcmis iati import` under /usr/bin/time -v (throughput and peak memory),
# and, side by side in the same run, extracts the same fields with a Python
# lxml iterparse script (Debian's /usr/bin/python3 with python3-lxml, the
# technique of the Python IATI tools). Prints both throughputs; doc/
# benchmarks.md keeps the figures.
#
#   scripts/bench-iati.sh [SIZE]     SIZE like 1GB (default) or 200MB
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-1GB}
work=$(mktemp -d "${TMPDIR:-/tmp}/tcmis-bench-iati.XXXXXX")
trap 'rm -rf "$work"' EXIT

need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need /usr/bin/time time
/usr/bin/python3 -c 'import lxml' 2>/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-lxml >/dev/null
}

go build -o "$work/tcmis" ./cmd/tcmis
go build -o "$work/iatigen" ./cmd/iatigen
echo "generating $size of IATI activities"
"$work/iatigen" -size "$size" -seed 1 -out "$work/big.xml"
bytes=$(stat -c %s "$work/big.xml")
echo "file: $((bytes / 1000000)) MB"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"

# run NAME COMMAND...: times a command, prints its throughput and peak memory.
run() {
	local name=$1
	shift
	/usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out"
	local secs rss
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/$name.time")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
	tail -n 1 "$work/$name.out"
	awk -v n="$name" -v b="$bytes" -v s="$secs" -v r="$rss" \
		'BEGIN {printf "%-26s %8.1f s  %6.1f MB/s  peak RSS %5.0f MB\n", n ":", s, b / 1e6 / s, r / 1024}' | tee -a "$work/results"
}

run "tcmis import (SQLite)" "$work/tcmis" --db "$work/import.db" iati import --no-validate --list 0 "$work/big.xml"
run "python lxml iterparse" /usr/bin/python3 scripts/iati_extract.py "$work/big.xml"
rm -f "$work"/import.db*
run "tcmis import + validate" "$work/tcmis" --db "$work/import.db" iati import --list 0 "$work/big.xml"
echo
cat "$work/results"
awk '/tcmis import \(SQLite\)/ {t = $(NF-5)} /python/ {p = $(NF-5)} END {printf "tcmis import / python extraction: %.2fx\n", t / p}' "$work/results"
