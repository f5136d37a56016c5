#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the tests; prints PGDIR=... and DATABASE_URL=... lines.
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDIR="${PGDIR:-$(mktemp -d)}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 && apt-get install -y -q --no-install-recommends postgresql >&2
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
if [ "$(id -u)" = 0 ]; then RUN="runuser -u postgres --"; chown postgres: "$PGDIR"; else RUN=""; fi
$RUN "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
$RUN "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "PGDIR=$PGDIR"
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres"
