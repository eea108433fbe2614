#!/usr/bin/env bash
# Interleaved no-change backups of two or more published udc binaries: one repository with one
# initial snapshot of the dataset, then per round one no-change backup by each binary in turn
# (A B A B ...), so that machine load hits every binary alike. Prints wall and CPU (user + sys)
# seconds per binary: median and every run, with the load average. Removes its work folder.
#
#   bench/archive/NoChangeAB.sh ROUNDS /path/to/old/udc /path/to/new/udc
#   DATASET=/some/folder WORK=/tmp/x bench/archive/NoChangeAB.sh 5 old/udc new/udc
#
# DATASET defaults to the pristine dataset `bench/archive/run.sh` builds; it is copied first so
# that its inodes and ctimes stay the same for every run of this script.
set -euo pipefail
rounds=${1:?rounds}; shift
[ "$#" -ge 1 ] || { echo "give at least one udc binary" >&2; exit 2; }
dataset=${DATASET:-/tmp/udc-archive-bench/pristine}
work=${WORK:-/tmp/udc-nochange-ab}
[ -d "$dataset" ] || { echo "no dataset at $dataset (run bench/archive/run.sh once, or set DATASET)" >&2; exit 2; }
export UDC_ARCHIVE_PASSWORD=${UDC_ARCHIVE_PASSWORD:-bench-password}
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp -a "$dataset" "$work/data"
"$1" archive init --repo "$work/repo" > /dev/null
"$1" archive backup --repo "$work/repo" "$work/data" > /dev/null
declare -A cpus walls
for _ in $(seq "$rounds"); do
  for udc in "$@"; do
    /usr/bin/time -f "%e %U %S" -o "$work/time.out" "$udc" archive backup --repo "$work/repo" "$work/data" > "$work/last.log" 2>&1 \
      || { cat "$work/last.log" >&2; exit 1; }
    read -r wall user sys < "$work/time.out"
    cpus[$udc]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
    walls[$udc]+="$wall "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "| udc | wall s median | CPU s median | wall s, all runs | CPU s, all runs |"
echo "|---|---:|---:|---|---|"
for udc in "$@"; do
  echo "| $udc | $(echo "${walls[$udc]}" | median) | $(echo "${cpus[$udc]}" | median) | ${walls[$udc]}| ${cpus[$udc]}|"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
