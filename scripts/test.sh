#!/usr/bin/env bash
# The tests of tcmis, on SQLite and on PostgreSQL: the command the README
# gives and CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

echo "== go test (SQLite and PostgreSQL at ${TCMIS_TEST_POSTGRES:-127.0.0.1:5432})"
go test -count=1 -timeout 40m ./... "$@"
