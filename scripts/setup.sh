#!/usr/bin/env bash
# Prepares this machine for the tests: installs the Debian packages they
# use and makes sure PostgreSQL answers on 127.0.0.1:5432. Safe to run
# again; it only acts on what is missing.
set -euo pipefail

apt_updated=no
need_package() { # need_package COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "setup: installing $2 (for $1)"
	if [ "$apt_updated" = no ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		apt_updated=yes
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

need_package pg_isready postgresql-client
need_package xmllint libxml2-utils # IATI exports and the schema checks are compared with libxml2
need_package soffice libreoffice-calc-nogui # the workbook test converts sheets to CSV
need_package chromium chromium # the browser tests drive Debian's Chromium (web/e2e)

if [ "${TCMIS_TEST_POSTGRES:-}" != off ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then
	echo "setup: starting PostgreSQL"
	pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
	for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	pg_isready -h 127.0.0.1 -p 5432
fi
