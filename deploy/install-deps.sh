#!/usr/bin/env bash
# Installs the Debian packages the project needs, and nothing more, only when missing.
#   deploy/install-deps.sh run    what the controller and the demo site need
#   deploy/install-deps.sh test   plus the real parts the tests drive (firewall, browser, hypervisor)
#   deploy/install-deps.sh bench  plus the peers the benchmarks compare against
set -euo pipefail
mode=${1:-run}
need=(postgresql nftables iproute2)
case "$mode" in
  run) ;;
  test) need+=(chromium libvirt-clients libvirt0 qemu-utils openssl attr) ;;
  bench) need+=(chromium libvirt-clients libvirt0 qemu-utils openssl attr restic borgbackup python3 time) ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
