#!/usr/bin/env bash
# Brings up (or down) the three sample "systems" that deploy/demo/site.yaml protects, on this
# machine, so that the demo has real things to back up:
#   web-files  a folder of static files                          $ROOT/web-files/htdocs
#   app-files  a running process that appends to its spool       $ROOT/app-files/{spool,app.pid}
#              (suspended by app-suspend/pre-backup during a backup)
#   pg-demo    a private PostgreSQL 15 with WAL archiving, on a Unix socket only, port 5433,
#              with a writer inserting one row per second        $ROOT/pg-demo/{data,run,wal-archive}
#
#   deploy/demo/demo-systems.sh start|stop|status
#
# Idempotent: start leaves running parts alone, stop ends only the processes it recorded (resuming a
# suspended app first so it can exit). ROOT is $UDC_DEMO_ROOT, default /var/lib/udc-demo, the
# paths site.yaml names. As root PostgreSQL runs as the postgres user (through runuser: it refuses
# root); as another user it runs as that user, under a ROOT that user can write.
set -euo pipefail

ROOT=${UDC_DEMO_ROOT:-/var/lib/udc-demo}
PG_BIN=${UDC_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=5433
PG=$ROOT/pg-demo

log() { printf 'demo-systems: %s\n' "$*" >&2; }

# True when the pid file names a live (non-zombie) process.
alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] && ! grep -q '^[0-9]* ([^)]*) [ZX]' "/proc/$pid/stat"
}

# Starts a detached loop that records its own pid (setsid may fork, so $! is not trusted).
start_loop() {
  local pidfile=$1 script=$2
  alive "$pidfile" && return 0
  setsid bash -c 'echo $$ >"$1"; exec bash -c "$2"' _ "$pidfile" "$script" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 100); do alive "$pidfile" && return 0; sleep 0.05; done
  log "could not start the process of $pidfile"
  return 1
}

stop_loop() {
  local pidfile=$1 pid
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pidfile" || break; sleep 0.05; done
  alive "$pidfile" && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# PostgreSQL refuses to run as root: as root its programs run as the postgres user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_running() { as_pg "$PG_BIN/pg_ctl" status -D "$PG/data" >/dev/null 2>&1; }

start() {
  [ -x "$PG_BIN/initdb" ] || { log "PostgreSQL 15 missing: run deploy/install-deps.sh run"; exit 2; }
  mkdir -p "$ROOT"
  chmod 755 "$ROOT"

  mkdir -p "$ROOT/web-files/htdocs"
  if [ ! -f "$ROOT/web-files/htdocs/index.html" ]; then
    printf '<!doctype html><title>demo</title><p>web-files sample page</p>\n' >"$ROOT/web-files/htdocs/index.html"
    for i in $(seq 1 20); do head -c 65536 /dev/urandom | base64 >"$ROOT/web-files/htdocs/asset-$i.txt"; done
  fi

  mkdir -p "$ROOT/app-files/spool" "$ROOT/app-files/suspend-state"
  start_loop "$ROOT/app-files/app.pid" "while :; do date -u +%FT%T.%NZ >>'$ROOT/app-files/spool/events.log'; sleep 0.2; done"

  mkdir -p "$PG/run" "$PG/wal-archive" "$PG/state"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG" "$PG/run" "$PG/wal-archive"; fi
  chmod 700 "$PG/state"
  if [ ! -f "$PG/data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$PG/data" -A trust -U postgres >/dev/null
    cat >>"$PG/data/postgresql.conf" <<EOF

# demo system pg-demo: socket only, WAL archived for the backup scripts (deploy/scripts/postgresql)
port = $PG_PORT
listen_addresses = ''
unix_socket_directories = '$PG/run'
archive_mode = on
archive_command = 'test ! -f $PG/wal-archive/%f && cp %p $PG/wal-archive/%f'
EOF
  fi
  if ! pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w start >/dev/null
  fi
  PGOPTIONS='-c client_min_messages=warning' psql -X -q -h "$PG/run" -p "$PG_PORT" -U postgres -d postgres \
    -c "create table if not exists demo_events (id bigint generated always as identity primary key, at timestamptz not null default now(), note text not null)"
  start_loop "$PG/writer.pid" "while :; do psql -X -q -h '$PG/run' -p $PG_PORT -U postgres -d postgres -c \"insert into demo_events (note) values ('tick')\" >/dev/null 2>&1; sleep 1; done"
  log "running under $ROOT: web-files, app-files (pid $(cat "$ROOT/app-files/app.pid")), pg-demo (socket $PG/run port $PG_PORT)"
}

stop() {
  stop_loop "$PG/writer.pid"
  stop_loop "$ROOT/app-files/app.pid"
  if [ -f "$PG/data/PG_VERSION" ] && pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null
  fi
  log "stopped"
}

status() {
  alive "$ROOT/app-files/app.pid" && echo "app-files: running (pid $(cat "$ROOT/app-files/app.pid"))" || echo "app-files: stopped"
  [ -f "$PG/data/PG_VERSION" ] && pg_running && echo "pg-demo: running" || echo "pg-demo: stopped"
  alive "$PG/writer.pid" && echo "pg-demo writer: running" || echo "pg-demo writer: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
