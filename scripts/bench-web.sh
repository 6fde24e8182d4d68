#!/usr/bin/env bash
# Measures the web application under many users at once: builds tcmis,
# loads the demo portfolio into a new SQLite database, starts tcmis serve
# and runs scripts/loadgen against the dashboard, the project list and a
# project page with 50 signed-in users, first as people use it (a request
# each second per user), then with no pause at all (each user asks again
# as soon as it is answered: the server's capacity). Prints the figures to
# copy into doc/benchmarks.md (section "Web application"). Not a test.
#
#   scripts/bench-web.sh                  # 50 users, 30 s each run
#   USERS=100 DURATION=60s scripts/bench-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."
users=${USERS:-50}
duration=${DURATION:-30s}
port=${PORT:-18080}
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(go version), load average $(cut -d' ' -f1-3 /proc/loadavg)"

go build -o "$dir/tcmis" ./cmd/tcmis
go build -o "$dir/loadgen" ./scripts/loadgen
"$dir/tcmis" --db "$dir/bench.db" demo >/dev/null
password="load test password 1"
echo "$password" | "$dir/tcmis" --db "$dir/bench.db" user add --email viewer@example.org --name "Load Viewer" --role viewer --password-stdin >/dev/null
"$dir/tcmis" --db "$dir/bench.db" serve --addr "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/signin" && break; sleep 0.2; done

echo "== $users users, one request per second each (people at work)"
"$dir/loadgen" -url "http://127.0.0.1:$port" -email viewer@example.org -password "$password" -users "$users" -duration "$duration" -think 1s
echo "== $users users, no pause between requests (capacity)"
"$dir/loadgen" -url "http://127.0.0.1:$port" -email viewer@example.org -password "$password" -users "$users" -duration "$duration" -think 0
