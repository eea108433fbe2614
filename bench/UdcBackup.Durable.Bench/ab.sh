#!/usr/bin/env bash
# Interleaved A/B of the durable benchmark: runs the Release builds of two checkouts alternately
# (A B A B ...), so both see the same machine load, and keeps each run's table.
# Usage: bench/UdcBackup.Durable.Bench/ab.sh CHECKOUT_A CHECKOUT_B [PAIRS=3] [bench options...]
# Each checkout must hold this bench (with the retry scenarios); it is built here if needed.
set -euo pipefail
a=${1:?checkout A}; b=${2:?checkout B}; pairs=${3:-3}; shift $(( $# < 3 ? $# : 3 ))
project=bench/UdcBackup.Durable.Bench
for dir in "$a" "$b"; do
  dotnet build -c Release -nodeReuse:false "$dir/$project" >/dev/null
done
for i in $(seq 1 "$pairs"); do
  for side in A B; do
    dir=$a; [ "$side" = B ] && dir=$b
    echo "== pair $i, $side ($(git -C "$dir" describe --always --dirty)), $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$dir" && dotnet run -c Release --no-build --project "$project" -- "$@") | grep '^|' | grep -v -- '---'
  done
done
