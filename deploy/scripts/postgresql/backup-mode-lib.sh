# Shared functions of the PostgreSQL backup-mode scripts; sourced, never run on its own.
#
# Since PostgreSQL 15 a non-exclusive backup (pg_backup_start) lives exactly as long as the
# session that started it, and pg_backup_stop must run in that same session. A disk agent runs
# pre-backup and post-backup as two separate processes, so pre-backup leaves a *holder* behind:
# one psql process, detached with setsid, that reads its SQL from a FIFO in the state folder.
# The holder opens the FIFO read-write on fd 3 itself, so it never sees end-of-file between
# commands, and it dies with nothing else. Results come back as marker lines (`UDC-...|`) in
# holder.out; the scripts wait for a marker, for the holder to exit, or for a deadline.
#
# State folder ($UDC_STATE_DIR, default /var/lib/udc-agent/postgresql):
#   lock          flock(1) lock; one script at a time (the holder never inherits it)
#   holder.fifo   SQL input of the holder
#   holder.out    psql output (marker lines), holder.err psql errors/notices
#   state         key=value lines: status, holder_pid, holder_start, backend_pid, label,
#                 start_lsn, stop_lsn ...   status: starting | active | stopping | labelled | done
# Label folder ($UDC_LABEL_DIR, default $UDC_STATE_DIR/label): written by post-backup, streamed
# by the disk agent after post-backup (see deploy/scripts/README.md for the whole contract).

set -euo pipefail

readonly EXIT_OK=0
readonly EXIT_ERROR=1
readonly EXIT_CONFIG=2
readonly EXIT_TIMEOUT=3
readonly EXIT_BACKUP_MODE_LOST=4
readonly EXIT_NOT_IN_BACKUP_MODE=5

UDC_STATE_DIR=${UDC_STATE_DIR:-/var/lib/udc-agent/postgresql}
UDC_LABEL_DIR=${UDC_LABEL_DIR:-$UDC_STATE_DIR/label}
UDC_PG_BIN=${UDC_PG_BIN:-}
UDC_PG_OS_USER=${UDC_PG_OS_USER:-postgres}
export PGDATABASE=${PGDATABASE:-postgres}

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$SCRIPT_NAME" "$*" >&2; }
die() { local code=$1; shift; log "$*"; exit "$code"; }

# Finds the PostgreSQL server binaries (pg_ctl, pg_controldata) once.
pg_bin() {
  if [ -z "$UDC_PG_BIN" ]; then
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_ctl" ]; then
      UDC_PG_BIN=$(pg_config --bindir)
    else
      UDC_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
  fi
  [ -x "$UDC_PG_BIN/pg_ctl" ] || die "$EXIT_CONFIG" "pg_ctl not found; set UDC_PG_BIN to PostgreSQL's bin folder"
  printf '%s' "$UDC_PG_BIN"
}

# Runs a command as the database's OS user: PostgreSQL refuses to run its server as root.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ] && [ "$UDC_PG_OS_USER" != root ]; then
    runuser -u "$UDC_PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

require_pgdata() {
  [ -n "${PGDATA:-}" ] || die "$EXIT_CONFIG" "PGDATA is not set; set it to the data directory of the instance"
  [ -f "$PGDATA/PG_VERSION" ] || die "$EXIT_CONFIG" "PGDATA=$PGDATA is not a PostgreSQL data directory (no PG_VERSION)"
}

# Takes the script lock on fd 9 so that two scripts never edit the state at once.
take_lock() {
  mkdir -p "$UDC_STATE_DIR"
  chmod 700 "$UDC_STATE_DIR"
  exec 9>"$UDC_STATE_DIR/lock"
  flock -w "${UDC_LOCK_TIMEOUT:-60}" 9 || die "$EXIT_TIMEOUT" "another backup-mode script holds $UDC_STATE_DIR/lock"
}

state_get() {
  local key=$1
  [ -f "$UDC_STATE_DIR/state" ] || return 0
  sed -n "s/^$key=//p" "$UDC_STATE_DIR/state" | tail -n 1
}

# Rewrites the state file atomically with one key changed or added.
state_set() {
  local key=$1 value=$2 tmp="$UDC_STATE_DIR/state.tmp"
  { [ -f "$UDC_STATE_DIR/state" ] && grep -v "^$key=" "$UDC_STATE_DIR/state" || true; } >"$tmp"
  printf '%s=%s\n' "$key" "$value" >>"$tmp"
  mv -f "$tmp" "$UDC_STATE_DIR/state"
}

# Process start time (field 22 of /proc/PID/stat): a pid alone can be reused after a restart.
# Fails for a process that has exited, including a zombie nobody has reaped yet.
proc_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  case "$1" in Z | X | x) return 1 ;; esac
  printf '%s' "${20}"
}

# True when the holder recorded in the state file is still the same running process.
holder_alive() {
  local pid start
  pid=$(state_get holder_pid)
  start=$(state_get holder_start)
  [ -n "$pid" ] && [ -n "$start" ] || return 1
  [ "$(proc_start_time "$pid" 2>/dev/null || true)" = "$start" ]
}

# Sends SQL to the holder. The FIFO is opened read-write so that the open never blocks, even
# when the holder has died; a lost holder is then noticed by holder_wait_marker.
holder_send() {
  local sql=$1
  [ -p "$UDC_STATE_DIR/holder.fifo" ] || die "$EXIT_BACKUP_MODE_LOST" "the backup-mode session's FIFO is gone"
  printf '%s\n' "$sql" 1<>"$UDC_STATE_DIR/holder.fifo"
}

# Waits until a marker line appears in holder.out; prints the line (marker stripped).
# Returns 1 if the holder exited first, 2 on timeout.
holder_wait_marker() {
  local marker=$1 seconds=$2 deadline line
  deadline=$(($(date +%s) + seconds))
  while :; do
    line=$(grep -a "^$marker|" "$UDC_STATE_DIR/holder.out" 2>/dev/null | tail -n 1 || true)
    if [ -n "$line" ]; then
      printf '%s' "${line#"$marker|"}"
      return 0
    fi
    holder_alive || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 2
    sleep 0.1
  done
}

# Ends the holder after a completed backup: a polite \q first, then SIGTERM, then SIGKILL.
holder_end() {
  local pid i
  pid=$(state_get holder_pid)
  if holder_alive; then
    printf '\\q\n' 1<>"$UDC_STATE_DIR/holder.fifo" 2>/dev/null || true
    for i in $(seq 50); do holder_alive || break; sleep 0.1; done
  fi
  holder_abort
}

# Ends a backup that will not complete. The server side goes first: a backend stuck in
# pg_backup_stop's wait for archiving does not notice its client leaving, and would keep its
# temporary slot (and so every WAL segment) until archiving works again.
holder_abort() {
  local pid backend i
  pid=$(state_get holder_pid)
  backend=$(state_get backend_pid)
  if [ -n "$backend" ] && backend_alive "$backend" "$(state_get backend_start)"; then
    printf '%s\n' "select pg_terminate_backend(:'pid'::int);" \
      | psql -X -q -A -t -v pid="$backend" >/dev/null 2>&1 || true
  fi
  if holder_alive; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do holder_alive || break; sleep 0.1; done
  fi
  if holder_alive; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$UDC_STATE_DIR/holder.fifo"
}

# Tells whether the server's backend of our holder session still exists, through a second session.
backend_alive() {
  local pid=$1 start=$2 found
  found=$(printf '%s\n' "select extract(epoch from backend_start) from pg_stat_activity where pid = :'pid'::int;" \
    | psql -X -q -A -t -v ON_ERROR_STOP=1 -v pid="$pid" 2>/dev/null || true)
  [ -n "$found" ] && [ "$found" = "$start" ]
}
