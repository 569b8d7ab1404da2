#!/usr/bin/env bash
# Installs and starts a PostgreSQL server (Debian's package) for the tests of
# the registry/pgstore module, and creates a role and database "lifecarbon"
# on loopback. Needs root (or sudo) on a Debian/Ubuntu image. Prints the
# connection URL the tests read from LIFECARBON_POSTGRES_URL as its last line.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  $SUDO pg_createcluster "$version" main >/dev/null
fi
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
if ! pg_lsclusters -h | awk 'NR==1 {print $4}' | grep -q online; then
  $SUDO pg_ctlcluster $cluster start
fi
port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
psql_admin() { $SUDO -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(id -u)" -eq 0 ]; then psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"; }; fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'lifecarbon'")" != "1" ]; then
  psql_admin -c "CREATE ROLE lifecarbon LOGIN PASSWORD 'lifecarbon'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'lifecarbon'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE lifecarbon OWNER lifecarbon"
fi
echo "postgresql $version running on port $port" >&2
echo "postgres://lifecarbon:lifecarbon@127.0.0.1:$port/lifecarbon"
