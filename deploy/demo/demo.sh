#!/usr/bin/env bash
# The demo (what ./run.sh starts): the controller with its embedded SQLite store, a media agent
# with a local archive repository, and disk agents for the three sample systems of
# deploy/demo/site.yaml (static files, an application suspended during its backup, a real
# PostgreSQL 15 in backup mode), each enrolled through the controller, then the site applied, so
# its job runs on its schedule. It prints where to look and runs until Ctrl-C, which stops every
# process it started, PostgreSQL and the namespaces, and leaves nothing running.
#
# Two network modes, chosen at start and logged:
#   zones     (root, ip and nft present): real network namespaces with an nftables firewall
#             between the controller zone and the systems (deploy/demo/demo-zones.sh); a system
#             reaches the media agent's port 9101 only while its job's window is open.
#   loopback  (otherwise): every agent on 127.0.0.1, no firewall between them; the site's
#             windows open and close in a private nftables table that no traffic crosses, which
#             the log says plainly. Needs unshare/nsenter (util-linux) and nft for the table.
#
# Environment: UDC_DATA (controller data, default ./.data), UDC_DEMO_ROOT (systems, repository
# and agents; default /var/lib/udc-demo as root, else DATA/demo), UDC_DEMO_MODE=zones|loopback,
# UDC_URLS (controller API, default http://127.0.0.1:5080), UDC_DEMO_UDC (the udc.dll to run,
# default the Release build).
#
# Against a controller that already runs (the web tests start their own and bring the demo up
# around it with this script, so both use one start-up): UDC_DEMO_CONTROLLER=its API URL,
# UDC_DEMO_AGENT_URL=its agent listener (https://HOST:PORT, what the agents enroll with) and
# UDC_TOKEN=an admin token. The demo then starts everything but the controller and leaves the
# controller running when it stops. Once all is up it prints "UdcBackup demo is running".
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
UDC_DLL=${UDC_DEMO_UDC:-$REPO/src/UdcBackup.Cli/bin/Release/net10.0/udc.dll}
EXTERNAL=${UDC_DEMO_CONTROLLER:-}
DATA=$(realpath -m "${UDC_DATA:-$REPO/.data}")
API=${EXTERNAL:-${UDC_URLS:-http://127.0.0.1:5080}}
API=${API%%;*}
API=${API%/}
if [ "$(id -u)" -eq 0 ]; then ROOT=${UDC_DEMO_ROOT:-/var/lib/udc-demo}; else ROOT=${UDC_DEMO_ROOT:-$DATA/demo}; fi
ROOT=$(realpath -m "$ROOT")
RUN=$ROOT/run
SYSTEMS=(web-files app-files pg-demo)

# Debian keeps nft and ip in the sbin folders, which a normal user's PATH lacks;
# the controller inherits this PATH for the firewall commands it runs.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# Bold only on a terminal: redirected to a file, escape codes are noise.
if [ -t 2 ]; then log() { printf '\033[1mdemo:\033[0m %s\n' "$*" >&2; }; else log() { printf 'demo: %s\n' "$*" >&2; }; fi
die() { log "$*"; exit 1; }
udc() { dotnet "$UDC_DLL" "$@"; }

MODE=${UDC_DEMO_MODE:-}
if [ -z "$MODE" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v nft >/dev/null && command -v ip >/dev/null; then MODE=zones; else MODE=loopback; fi
fi
case "$MODE" in
  zones) MEDIA_HOST=198.51.100.2; AGENT_URL=https://198.51.100.2:5443 ;;
  loopback) MEDIA_HOST=127.0.0.1; AGENT_URL=https://127.0.0.1:5443 ;;
  *) die "UDC_DEMO_MODE must be zones or loopback" ;;
esac
AGENT_URL=${UDC_DEMO_AGENT_URL:-$AGENT_URL}

# Address and port of each system's disk agent, and the namespace it runs in (zones mode).
agent_address() { if [ "$MODE" = zones ]; then case $1 in web-files) echo 203.0.113.11 ;; app-files) echo 203.0.113.12 ;; pg-demo) echo 203.0.113.13 ;; esac; else echo 127.0.0.1; fi; }
agent_port() { if [ "$MODE" = zones ]; then echo 9102; else case $1 in web-files) echo 9111 ;; app-files) echo 9112 ;; pg-demo) echo 9113 ;; esac; fi; }
agent_netns() { case $1 in web-files) echo udc-demo-web ;; app-files) echo udc-demo-app ;; pg-demo) echo udc-demo-pg ;; esac; }
# The words that run a command in a system's zone (ip netns exec execs it: the pid stays the program's).
zone_prefix() { if [ "$MODE" = zones ]; then echo "ip netns exec $(agent_netns "$1")"; fi; }

PIDS=()
cleaned=0
cleanup() {
  [ "$cleaned" -eq 1 ] && return
  cleaned=1
  # Whatever happens now (a second Ctrl-C, a closed terminal or pipe), every step still runs.
  set +e
  trap '' INT TERM PIPE
  log "stopping: agents$( [ -n "$EXTERNAL" ] || echo ", controller"), sample systems${MODE:+, $MODE network}"
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  UDC_DEMO_ROOT=$ROOT "$REPO/deploy/demo/demo-systems.sh" stop || true
  if [ "$MODE" = zones ]; then "$REPO/deploy/demo/demo-zones.sh" down || true; else "$REPO/deploy/demo/loopback-firewall.sh" stop "$RUN" || true; fi
  log "stopped; data kept in $( [ -n "$EXTERNAL" ] || echo "$DATA and ")$ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a long-running process in the background, its output in a log file; records its pid.
start_bg() {
  local logfile=$1; shift
  "$@" >>"$logfile" 2>&1 &
  PIDS+=($!)
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what did not come up within ${seconds}s (logs in $RUN/logs)"
}

[ -f "$UDC_DLL" ] || die "udc is not built: dotnet build src/UdcBackup.Cli -c Release"
mkdir -p "$RUN/logs"
[ -n "$EXTERNAL" ] || mkdir -p "$DATA"
log "network mode: $MODE"
if [ "$MODE" = zones ]; then
  log "zones: controller and media agent on 198.51.100.2 (this host), systems 203.0.113.11-13 in namespaces udc-demo-{web,app,pg}, firewall udc-demo-fw (nftables) keeps port 9101 closed except during a job"
  "$REPO/deploy/demo/demo-zones.sh" up
else
  log "LOOPBACK MODE: no network namespaces (needs root, ip and nft); every agent listens on 127.0.0.1 and NO firewall stands between them."
  log "LOOPBACK MODE: job windows are opened and closed in a private nftables table (a user+network namespace) that no demo traffic crosses."
  "$REPO/deploy/demo/loopback-firewall.sh" start "$RUN"
fi

# 1. The sample systems (files, a suspended app, PostgreSQL with a writer).
UDC_DEMO_ROOT=$ROOT "$REPO/deploy/demo/demo-systems.sh" start

# 2. The controller (or the one that already runs).
if [ -n "$EXTERNAL" ]; then
  log "controller: the running one at $API (agents enroll at $AGENT_URL)"
else
  log "controller: udc server --data $DATA (log $RUN/logs/controller.log)"
  start_bg "$RUN/logs/controller.log" env UDC_AGENTURLS="$AGENT_URL" dotnet "$UDC_DLL" server --data "$DATA" --urls "$API"
fi
wait_for "the controller" 180 curl -fsS "$API/healthz"
export UDC_SERVER=$API
# The controller writes the admin's API token at its first start, before it listens.
if [ -n "$EXTERNAL" ]; then
  [ -n "${UDC_TOKEN:-}" ] || log "no UDC_TOKEN given for the controller at $API"
elif [ -s "$DATA/admin.token" ]; then
  UDC_TOKEN=$(cat "$DATA/admin.token")
  export UDC_TOKEN
else
  log "no $DATA/admin.token: this controller does not ask for sign-in"
fi

# SHA-256 (hex) of the CA certificate an agent's credentials folder trusts, as `--ca-sha256` takes it.
ca_fingerprint() {
  sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' "$1/ca.crt.pem" 2>/dev/null | grep -v CERTIFICATE | base64 -d 2>/dev/null | sha256sum | cut -d' ' -f1
}

# Enrolls one agent (a single-use token from the controller, the CA pinned by its fingerprint).
# The enrollment runs where the agent will run (inside its zone). An enrolled agent keeps its
# credentials while they come from this controller's CA; credentials issued by another
# controller (another data folder or checkout, since the systems' folder is shared as root) are
# replaced, or every job would fail with "did not present a certificate from this controller's CA".
enroll() {
  local id=$1 role=$2 folder=$3 zone=${4:-}
  local answer token ca
  answer=$(udc agent token create --system "$id" --role "$role" --json)
  token=$(printf '%s' "$answer" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
  ca=$(printf '%s' "$answer" | sed -n 's/.*"caSha256" *: *"\([^"]*\)".*/\1/p')
  [ -n "$token" ] && [ -n "$ca" ] || die "no enrollment token for $id: $answer"
  if [ -f "$folder/agent.crt.pem" ]; then
    [ "$(ca_fingerprint "$folder")" = "${ca,,}" ] && return 0
    log "$id: credentials in $folder are from another controller's CA; enrolling again"
    rm -rf "$folder"
  fi
  if [ -n "$zone" ]; then
    $(zone_prefix "$zone") dotnet "$UDC_DLL" agent enroll --server "$AGENT_URL" --token "$token" --ca-sha256 "$ca" --credentials "$folder" >&2
  else
    udc agent enroll --server "$AGENT_URL" --token "$token" --ca-sha256 "$ca" --credentials "$folder" >&2
  fi
}

# 3. The media agent with its repository.
if [ ! -f "$ROOT/repository.password" ]; then
  (umask 077; head -c 24 /dev/urandom | base64 >"$ROOT/repository.password")
fi
if [ ! -d "$ROOT/repository" ] || [ -z "$(ls -A "$ROOT/repository" 2>/dev/null)" ]; then
  udc archive init --repo "$ROOT/repository" --password-file "$ROOT/repository.password" >&2
fi
enroll media-1 media "$RUN/media-1"
cat >"$RUN/media-1.json" <<EOF
{"listenAddress": "$MEDIA_HOST", "port": 9101, "credentialsFolder": "$RUN/media-1",
 "repositoryPath": "$ROOT/repository", "repositoryName": "local", "repositoryPasswordFile": "$ROOT/repository.password",
 "auditLogPath": "$RUN/media-1-audit.jsonl"}
EOF
start_bg "$RUN/logs/media-1.log" dotnet "$UDC_DLL" agent media --config "$RUN/media-1.json"
wait_for "the media agent" 180 grep -q "listening on" "$RUN/logs/media-1.log"

# 4. One disk agent per system, in its zone, allowed to read and restore only its own folders.
# A disk agent runs scripts by plain name from one folder it trusts: a copy of the shipped
# scripts named KIND-SCRIPT (postgresql-pre-backup ...), with the libraries they source.
rm -rf "$RUN/scripts"
mkdir -p "$RUN/scripts"
for f in "$REPO"/deploy/scripts/*/*; do
  case "$f" in
    *.sh) install -m 644 "$f" "$RUN/scripts/$(basename "$f")" ;;
    *) install -m 755 "$f" "$RUN/scripts/$(basename "$(dirname "$f")")-$(basename "$f")" ;;
  esac
done
for system in "${SYSTEMS[@]}"; do
  case $system in
    web-files) paths="\"$ROOT/web-files/htdocs\"" ;;
    app-files) paths="\"$ROOT/app-files/spool\"" ;;
    pg-demo) paths="\"$ROOT/pg-demo/data\", \"$ROOT/pg-demo/state/label\"" ;;
  esac
  enroll "$system" disk "$RUN/$system" "$system"
  cat >"$RUN/$system.json" <<EOF
{"listenAddress": "$(agent_address "$system")", "port": $(agent_port "$system"), "credentialsFolder": "$RUN/$system",
 "scriptFolder": "$RUN/scripts", "dataPaths": [$paths], "restoreRoots": [$paths],
 "auditLogPath": "$RUN/$system-audit.jsonl"}
EOF
  start_bg "$RUN/logs/$system.log" $(zone_prefix "$system") dotnet "$UDC_DLL" agent disk --config "$RUN/$system.json"
done
for system in "${SYSTEMS[@]}"; do
  wait_for "the disk agent of $system" 180 grep -q "listening on" "$RUN/logs/$system.log"
done

# 5. The site, with this machine's paths (and addresses in loopback mode).
site="$RUN/site.yaml"
sed -E -e "s#/var/lib/udc-demo#$ROOT#g" -e 's#name: (postgresql|app-suspend)/#name: \1-#' "$REPO/deploy/demo/site.yaml" >"$site"
if [ "$MODE" = loopback ]; then
  sed -i -e "s#namespace: udc-demo-fw#commandPrefix: $RUN/loopback-nft#" \
    -e 's#198\.51\.100\.2#127.0.0.1#g' \
    -e 's#203\.0\.113\.11:9102#127.0.0.1:9111#; s#203\.0\.113\.12:9102#127.0.0.1:9112#; s#203\.0\.113\.13:9102#127.0.0.1:9113#' \
    -e 's#203\.0\.113\.1[123]#127.0.0.1#g' "$site"
fi
udc site apply "$site" >&2

job=$(sed -n 's/^  - id: \(demo-[a-z0-9-]*\)$/\1/p' "$site" | head -n 1)
cat >&2 <<EOF

  UdcBackup demo is running ($MODE mode).
    web app        $API   $( [ -n "$EXTERNAL" ] && echo "(the running controller)" || echo "(user admin, password in $DATA/initial-admin-password)")
    runs           udc jobs list          then  udc jobs show <ID>   (live progress)
    start one now  udc backup start $job
    site           udc site show          schedules: udc schedule list
    firewall       $( [ "$MODE" = zones ] && echo "ip netns exec udc-demo-fw nft list chain inet udc forward" || echo "$RUN/loopback-nft nft list chain inet udc forward   (loopback: not in the traffic path)")
    logs           $RUN/logs/   $( [ -n "$EXTERNAL" ] || echo "controller data: $DATA")
  (udc is: dotnet $UDC_DLL$( [ -n "$EXTERNAL" ] || echo "; the CLI finds the token in $DATA/admin.token"))
  Ctrl-C stops everything.

EOF
wait -n "${PIDS[@]}" || true
log "a demo process exited; see $RUN/logs"
