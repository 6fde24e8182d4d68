#!/usr/bin/env bash
# IATI import benchmark: generates a synthetic IATI 2.03 file (default
# about 1 GB, iati/iatigen), imports it into a new SQLite database with
# `tcmis iati import` under /usr/bin/time -v (throughput and peak memory),
# and, side by side in the same run, extracts the same fields with a Python
# lxml iterparse script (Debian's /usr/bin/python3 with python3-lxml, the
# technique of the Python IATI tools). The two alternate, ROUNDS times
# (default 3), so that both meet the machine as it is: the machine is
# shared, and one run of either can take half as long again as the next.
# Prints every run, the medians and their ratio; doc/benchmarks.md keeps
# the figures.
#
#   scripts/bench-iati.sh [SIZE]     SIZE like 1GB (default) or 200MB
#   ROUNDS=5 scripts/bench-iati.sh 200MB
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-1GB}
rounds=${ROUNDS:-3}
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

for round in $(seq "$rounds"); do
	rm -f "$work"/import.db*
	run "tcmis import (SQLite)" "$work/tcmis" --db "$work/import.db" iati import --no-validate --list 0 "$work/big.xml"
	run "python lxml iterparse" /usr/bin/python3 scripts/iati_extract.py "$work/big.xml"
done
rm -f "$work"/import.db*
run "tcmis import + validate" "$work/tcmis" --db "$work/import.db" iati import --list 0 "$work/big.xml"
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/results"
# median NAME: the median time of the runs named NAME.
median() {
	grep -F "$1:" "$work/results" | awk '{print $(NF-7)}' | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
t=$(median "tcmis import (SQLite)")
p=$(median "python lxml iterparse")
awk -v t="$t" -v p="$p" -v b="$bytes" -v n="$rounds" 'BEGIN {printf "medians of %d rounds: tcmis import %.1f s (%.1f MB/s), python extraction %.1f s (%.1f MB/s): %.2fx\n", n, t, b / 1e6 / t, p, b / 1e6 / p, p / t}'
