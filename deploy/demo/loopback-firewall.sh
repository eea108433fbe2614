#!/usr/bin/env bash
# The demo's stand-in firewall for loopback mode (no root or no nft in the host's namespace):
# a private user + network namespace, held open by a sleeping process, with the same managed
# nftables chain as the real demo firewall (table inet udc, chain forward, port 9101 dropped).
# The site names DIR/loopback-nft as the firewall's commandPrefix, so the controller's window
# activities open and close real rules there, but NO demo traffic crosses this namespace: the
# agents talk over 127.0.0.1. It shows the windows' life cycle, not their effect.
#
#   deploy/demo/loopback-firewall.sh start DIR   creates DIR/loopback-nft and the namespace
#   deploy/demo/loopback-firewall.sh stop DIR    ends the holder process (the namespace goes with it)
#
# Needs unshare and nsenter (util-linux) with unprivileged user namespaces, and nft.
set -euo pipefail

log() { printf 'loopback-firewall: %s\n' "$*" >&2; }
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
pidfile="$dir/loopback-firewall.pid"

alive() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  mkdir -p "$dir"
  command -v nft >/dev/null || { log "nft is missing (apt-get install nftables): windows cannot open"; exit 2; }
  command -v unshare >/dev/null && command -v nsenter >/dev/null || { log "unshare/nsenter missing (util-linux)"; exit 2; }
  if ! alive; then
    unshare --user --map-root-user --net sleep infinity </dev/null >/dev/null 2>&1 &
    echo $! >"$pidfile"
    # The namespace exists once the child has exec'd sleep.
    for _ in $(seq 50); do [ "$(readlink "/proc/$(cat "$pidfile")/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
  fi
  cat >"$dir/loopback-nft" <<EOF
#!/bin/sh
# nft inside the demo's loopback stand-in firewall (see deploy/demo/loopback-firewall.sh)
exec nsenter --preserve-credentials --user --net --target $(cat "$pidfile") "\$@"
EOF
  chmod 755 "$dir/loopback-nft"
  "$dir/loopback-nft" nft -f - <<'EOF'
table inet udc {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    tcp dport 9101 drop comment "udc:port-policy=9101"
  }
}
EOF
  log "started (pid $(cat "$pidfile")); see the windows with: $dir/loopback-nft nft list chain inet udc forward"
}

stop() {
  if alive; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
