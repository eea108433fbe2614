#!/usr/bin/env bash
# The demo site's network, for real, with network namespaces and nftables (needs root, ip, nft):
#
#   host (controller zone)            udc-demo-fw (firewall)              protected zone
#   controller, media agent  ---- udc-demo0 / uc0 ----  bridge oc0  ---- udc-demo-web  203.0.113.11
#   198.51.100.2 (udc-demo0)     198.51.100.1          203.0.113.1  ---- udc-demo-app  203.0.113.12
#                                                                  ---- udc-demo-pg   203.0.113.13
#
# The firewall namespace routes between the zones and holds the project's managed nftables chain
# (table inet udc, chain forward, as deploy/demo/site.yaml names it) with the drop rule of the
# designated port 9101 (the media agent's port), so a disk agent reaches the media agent only
# while a job's window is open. Everything else passes (the controller reaches the disk agents on
# 9102). The documentation addresses exist only on the demo's own interfaces, and the host gets
# no more of them than it uses: a /30 on its veth end and one /32 route per protected system. A
# wider route (all of 203.0.113.0/24) would capture every other host of that range the machine
# talks to, such as a package mirror that happens to be numbered there, for as long as the demo runs.
#
#   deploy/demo/demo-zones.sh up|down|status
#
# up is idempotent (an existing namespace is left alone); down deletes the namespaces, which
# takes the veth pairs, the host's address and routes and every rule with them.
set -euo pipefail

FW=udc-demo-fw
HOST_IF=udc-demo0
PORT=9101
# name:address of each protected system's namespace, in site.yaml's order.
SYSTEMS=(web:203.0.113.11 app:203.0.113.12 pg:203.0.113.13)

log() { printf 'demo-zones: %s\n' "$*" >&2; }

exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

up() {
  [ "$(id -u)" -eq 0 ] || { log "run as root"; exit 2; }
  command -v nft >/dev/null || { log "nft missing: deploy/install-deps.sh run"; exit 2; }
  if exists "$FW"; then
    log "namespaces already up"
    return 0
  fi
  ip netns add "$FW"
  ip -n "$FW" link set lo up
  ip netns exec "$FW" sysctl -qw net.ipv4.ip_forward=1

  # Controller zone: the host end of a veth pair whose other end is in the firewall.
  ip link add "$HOST_IF" type veth peer name uc0 netns "$FW"
  ip addr add 198.51.100.2/30 dev "$HOST_IF"
  ip link set "$HOST_IF" up
  ip -n "$FW" addr add 198.51.100.1/30 dev uc0
  ip -n "$FW" link set uc0 up
  for entry in "${SYSTEMS[@]}"; do
    ip route replace "${entry#*:}/32" via 198.51.100.1 dev "$HOST_IF"
  done

  # Protected zone: one namespace per system on a bridge inside the firewall.
  ip -n "$FW" link add oc0 type bridge
  ip -n "$FW" addr add 203.0.113.1/24 dev oc0
  ip -n "$FW" link set oc0 up
  for entry in "${SYSTEMS[@]}"; do
    local name=${entry%%:*} address=${entry#*:} ns="udc-demo-${entry%%:*}"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "p-$name" netns "$FW" type veth peer name eth0 netns "$ns"
    ip -n "$FW" link set "p-$name" master oc0 up
    ip -n "$ns" addr add "$address/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via 203.0.113.1
  done

  # The managed chain with the designated port's drop rule (what NftablesFirewall.InstallAsync
  # creates); windows are inserted before it, tagged udc:job=<run id>.
  ip netns exec "$FW" nft -f - <<EOF
table inet udc {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    tcp dport $PORT drop comment "udc:port-policy=$PORT"
  }
}
EOF
  log "up: host 198.51.100.2 <-> $FW <-> ${SYSTEMS[*]}; port $PORT closed"
}

down() {
  local ns
  for ns in "${SYSTEMS[@]%%:*}" fw; do
    if exists "udc-demo-$ns"; then ip netns delete "udc-demo-$ns"; fi
  done
  # The host end goes with its peer; this only catches a half-built run.
  if ip link show "$HOST_IF" >/dev/null 2>&1; then ip link delete "$HOST_IF"; fi
  log "down"
}

status() {
  local ns
  for ns in fw "${SYSTEMS[@]%%:*}"; do
    if exists "udc-demo-$ns"; then echo "udc-demo-$ns: up"; else echo "udc-demo-$ns: down"; fi
  done
  if exists "$FW"; then ip netns exec "$FW" nft list chain inet udc forward; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
