#!/usr/bin/env bash
# Interleaved cold-cache restores of one or more published udc binaries: the dataset is backed up
# once (by the first binary) into a repository under WORK, then per round each binary in turn
# (A B, B A, A B ...) restores it into an empty folder after `sync` and dropping the page cache, so that
# machine load and disk state hit every binary alike. Prints wall, user and system seconds per run
# with the load average, then medians per binary. The first restore of each binary is compared
# with the dataset (`diff -r`, and file sizes on disk). Removes its work folder at the end.
#
# Restored folders are kept until the end, not deleted between runs: on an ext4 without a journal
# (this machine's root file system) the inode allocator skips every inode freed in the last 5 s
# (305 s once its inode-table block is dirty again), probing each one, so a restore right after
# deleting the previous one's 43,000 inodes pays 0.3-0.7 s more system time than one that follows
# no deletion. Needs about 1.2 GiB per run (ROUNDS x binaries) on the work folder's disk.
#
#   bench/archive/restore-ab.sh ROUNDS /path/to/old/udc /path/to/new/udc
#   DATASET=/some/folder WORK=/tmp/x bench/archive/restore-ab.sh 3 udc
#   WRAP="strace -c -f -o /tmp/s.txt" bench/archive/restore-ab.sh 1 udc   (one tool around each restore)
#
# DATASET defaults to the pristine dataset `bench/archive/run.sh` builds. Needs root to drop the
# page cache (without it the restores read a warm cache and the script says so).
set -euo pipefail
rounds=${1:?rounds}; shift
[ "$#" -ge 1 ] || { echo "give at least one udc binary" >&2; exit 2; }
dataset=${DATASET:-/tmp/udc-archive-bench/pristine}
work=${WORK:-/tmp/udc-restore-ab}
[ -d "$dataset" ] || { echo "no dataset at $dataset (run bench/archive/run.sh once, or set DATASET)" >&2; exit 2; }
dataset=$(cd "$dataset" && pwd)
export UDC_ARCHIVE_PASSWORD=${UDC_ARCHIVE_PASSWORD:-bench-password}
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
"$1" archive init --repo "$work/repo" > /dev/null
"$1" archive backup --repo "$work/repo" "$dataset" > /dev/null

drop_caches() {
  sync
  if ! echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
    echo "cannot drop the page cache (not root): restores read a warm cache" >&2
  fi
}

declare -A walls users syss cpus checked
echo "| round | udc | wall s | user s | sys s | user + sys s | load |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  # Odd rounds in the given order, even rounds reversed: the second restore of a round follows the
  # first one's 43,000 new inodes, so a fixed order would favour one binary.
  order=("$@")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = $#; i >= 1; i--)); do order+=("${!i}"); done
  fi
  index=0
  for udc in "${order[@]}"; do
    index=$((index + 1))
    target=$work/target-$round-$index
    mkdir "$target"
    drop_caches
    # shellcheck disable=SC2086 # WRAP is a command prefix split on purpose
    /usr/bin/time -f "%e %U %S" -o "$work/time.out" ${WRAP:-} "$udc" archive restore latest --repo "$work/repo" --target "$target" \
      > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
    read -r wall user sys < "$work/time.out"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    walls[$udc]+="$wall "; users[$udc]+="$user "; syss[$udc]+="$sys "; cpus[$udc]+="$cpu "
    echo "| $round | $udc | $wall | $user | $sys | $cpu | $(cut -d' ' -f1 /proc/loadavg) |"
    if [ -z "${checked[$udc]:-}" ]; then
      checked[$udc]=1
      diff -r "$dataset" "$target$dataset" > /dev/null || { echo "$udc: restore differs from the dataset" >&2; exit 1; }
      echo "$udc: restore identical to the dataset ($(du -s --block-size=1M "$target$dataset" | cut -f1) MiB on disk, source $(du -s --block-size=1M "$dataset" | cut -f1) MiB)" >&2
    fi
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "| udc | wall s median | user s median | sys s median | user + sys s median |"
echo "|---|---:|---:|---:|---:|"
for udc in "$@"; do
  echo "| $udc | $(echo "${walls[$udc]}" | median) | $(echo "${users[$udc]}" | median) | $(echo "${syss[$udc]}" | median) | $(echo "${cpus[$udc]}" | median) |"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
