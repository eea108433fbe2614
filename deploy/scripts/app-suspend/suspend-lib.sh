# Shared functions of the application-suspend scripts; sourced, never run on its own.
#
# For applications without a backup mode the pre-backup script freezes them so that their files
# do not change while they are copied, and the post-backup script lets them run again:
#   - processes named by pid files (UDC_SUSPEND_PIDFILES) get SIGSTOP / SIGCONT, optionally with
#     all their descendants (UDC_SUSPEND_TREE=1); a process counts as suspended only once the
#     kernel reports it stopped (state T in /proc/PID/stat);
#   - systemd units (UDC_SUSPEND_UNITS) are frozen / thawed with `systemctl freeze|thaw` (the
#     cgroup freezer), which needs a running systemd.
# What was suspended is recorded (pid + process start time, so that a reused pid is never
# signalled) in $UDC_STATE_DIR/suspended; resume signals those and everything configured, so it
# works even when the record is lost. Both scripts are idempotent.

set -euo pipefail

readonly EXIT_OK=0
readonly EXIT_ERROR=1
readonly EXIT_CONFIG=2
readonly EXIT_TIMEOUT=3

UDC_STATE_DIR=${UDC_STATE_DIR:-/var/lib/udc-agent/app-suspend}
UDC_SUSPEND_PIDFILES=${UDC_SUSPEND_PIDFILES:-}
UDC_SUSPEND_UNITS=${UDC_SUSPEND_UNITS:-}
UDC_SUSPEND_TREE=${UDC_SUSPEND_TREE:-0}
UDC_SUSPEND_TIMEOUT=${UDC_SUSPEND_TIMEOUT:-30}

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$SCRIPT_NAME" "$*" >&2; }
die() { local code=$1; shift; log "$*"; exit "$code"; }

[ -n "$UDC_SUSPEND_PIDFILES$UDC_SUSPEND_UNITS" ] \
  || die "$EXIT_CONFIG" "nothing to suspend: set UDC_SUSPEND_PIDFILES (pid files, separated by ':' or spaces) and/or UDC_SUSPEND_UNITS (systemd units)"

mkdir -p "$UDC_STATE_DIR"
exec 9>"$UDC_STATE_DIR/lock"
flock -w 60 9 || die "$EXIT_TIMEOUT" "another suspend script holds $UDC_STATE_DIR/lock"

# Prints "<state> <starttime>" of a live process, nothing for an exited one.
proc_state() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  case "$1" in Z | X | x) return 0 ;; esac
  printf '%s %s' "$1" "${20}"
}

descendants() {
  local child
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    printf '%s\n' "$child"
    descendants "$child"
  done
}

# The configured processes now: one pid per line, parents before children.
configured_pids() {
  local file pid
  for file in ${UDC_SUSPEND_PIDFILES//:/ }; do
    if [ ! -f "$file" ]; then
      [ "${UDC_SUSPEND_MISSING:-error}" = ignore ] && { log "pid file $file missing; ignored"; continue; }
      die "$EXIT_CONFIG" "pid file $file does not exist (is the application running? set UDC_SUSPEND_MISSING=ignore to allow this)"
    fi
    pid=$(tr -dc '0-9' <"$file")
    [ -n "$pid" ] || die "$EXIT_CONFIG" "pid file $file holds no pid"
    if [ -z "$(proc_state "$pid")" ]; then
      [ "${UDC_SUSPEND_MISSING:-error}" = ignore ] && { log "process $pid of $file is not running; ignored"; continue; }
      die "$EXIT_ERROR" "process $pid named in $file is not running"
    fi
    printf '%s\n' "$pid"
    [ "$UDC_SUSPEND_TREE" = 1 ] && descendants "$pid"
  done
  return 0
}

systemd_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# Waits until every pid given is stopped (want=T) or running again (want=run).
wait_state() {
  local want=$1; shift
  local deadline=$(($(date +%s) + UDC_SUSPEND_TIMEOUT)) pid st pending
  while :; do
    pending=
    for pid in "$@"; do
      st=$(proc_state "$pid"); st=${st%% *}
      [ -z "$st" ] && continue
      if [ "$want" = T ]; then [ "$st" = T ] || pending="$pending $pid"; else [ "$st" != T ] || pending="$pending $pid"; fi
    done
    [ -z "$pending" ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || die "$EXIT_TIMEOUT" "processes$pending did not reach state $want within ${UDC_SUSPEND_TIMEOUT}s"
    sleep 0.05
  done
}
