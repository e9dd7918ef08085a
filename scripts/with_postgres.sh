#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster: data and socket in a temporary folder,
# stopped and removed on exit even when the command fails. initdb refuses root, so as root the
# cluster runs as the `postgres` user.
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [ -z "$PG_BIN" ]; then
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$d/postgres" ] && PG_BIN="$d" && break
  done
fi
[ -x "${PG_BIN}/postgres" ] || { echo "PostgreSQL server binaries not found (run: make pg-server)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/servicehall-pg.XXXXXX)
chmod 755 "$tmp"
as_pg=()
if [ "$(id -u)" = "0" ]; then
  chown postgres: "$tmp"
  as_pg=(runuser -u postgres --)
fi
port="${PGPORT_TEST:-5432}"

cleanup() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$PG_BIN/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w -t 60 start -o \
  "-c listen_addresses='' -c unix_socket_directories='$tmp' -c port=$port -c max_connections=300 \
   -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" >/dev/null
"${as_pg[@]}" "$PG_BIN/createdb" -h "$tmp" -p "$port" -U postgres servicehall

export DATABASE_URL="postgres://postgres@/servicehall?host=${tmp}&port=${port}"
export PGHOST="$tmp" PGPORT="$port" PGUSER=postgres
set +e
"$@"
status=$?
set -e
exit $status
