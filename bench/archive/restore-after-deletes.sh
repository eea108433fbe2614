#!/usr/bin/env bash
# Cold restores right after a mass delete, udc builds interleaved with restic as the yardstick.
#
# On an ext4 without a journal (this machine's root file system) the inode allocator skips every
# inode freed in the last 5 s (305 s once its inode-table block is dirty again), probing each one,
# so a restore that follows a large delete (run.sh removes about 200,000 inodes of the previous run
# at its start) creates its 43,000 inodes slowly. This script reproduces that state on purpose:
# it backs the dataset up once (udc and restic), then per round, before EVERY restore, creates and
# deletes CHURN inodes (empty files in folders of 1,000) on the work folder's file system, syncs,
# drops the page cache and restores at once (or after REST seconds: REST=400 gives the at-rest
# case). Runners take turns (A B C, then C B A, ...). Prints wall, user, system and user + system
# seconds with context switches, CPU migrations and the load average per restore, then medians and
# each runner's ratio to the median restic restore. The first restore of each runner is compared
# with the dataset (`diff -r`). Every restore is removed before the next churn; the work folder is
# removed at the end (also on failure or Ctrl-C).
#
#   bench/archive/restore-after-deletes.sh ROUNDS RUNNER...
#     RUNNER is a udc binary, optionally with environment first ("UDC_X=1 /path/udc", split on
#     spaces), or the word restic
#   bench/archive/restore-after-deletes.sh 3 /tmp/old/udc /tmp/new/udc restic
#   REST=400 bench/archive/restore-after-deletes.sh 1 /tmp/new/udc restic     (at rest)
#   WRAP="strace -c -f -o /tmp/s.txt" ...     (one tool around each restore; perf stat is added)
#
# Environment: DATASET (default: the pristine dataset bench/archive/run.sh builds), WORK (default
# /tmp/udc-restore-deletes, on the file system under test; about 3.5 GiB), CHURN (default 200000).
# Needs root to drop the page cache, and perf (linux-perf) for the context-switch counts.
set -euo pipefail
rounds=${1:?rounds}; shift
[ "$#" -ge 1 ] || { echo "give at least one runner (a udc binary or restic)" >&2; exit 2; }
dataset=${DATASET:-/tmp/udc-archive-bench/pristine}
work=${WORK:-/tmp/udc-restore-deletes}
churn=${CHURN:-200000}
rest=${REST:-0}
[ -d "$dataset" ] || { echo "no dataset at $dataset (run bench/archive/run.sh once, or set DATASET)" >&2; exit 2; }
dataset=$(cd "$dataset" && pwd)
export UDC_ARCHIVE_PASSWORD=${UDC_ARCHIVE_PASSWORD:-bench-password} RESTIC_PASSWORD=${RESTIC_PASSWORD:-bench-password}
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

first_udc=
for runner in "$@"; do
  [ "$runner" = restic ] && continue
  first_udc=${runner##* }
  break
done
if [ -n "$first_udc" ]; then
  "$first_udc" archive init --repo "$work/repo-udc" > /dev/null
  "$first_udc" archive backup --repo "$work/repo-udc" "$dataset" > /dev/null
fi
if printf '%s\n' "$@" | grep -qx restic; then
  restic init --repo "$work/repo-restic" --repository-version 2 > /dev/null
  restic -r "$work/repo-restic" backup --host bench "$dataset" > /dev/null
fi

# Creates and deletes $churn inodes: folders of 1,000 empty files, then rm -rf.
mass_delete() {
  local dir=$work/churn folders=$(( (churn + 999) / 1000 )) i
  mkdir "$dir"
  for ((i = 0; i < folders; i++)); do
    mkdir "$dir/$i"
    (cd "$dir/$i" && touch f{001..999})
  done
  rm -rf "$dir"
}

drop_caches() {
  sync
  if ! echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
    echo "cannot drop the page cache (not root): restores read a warm cache" >&2
  fi
}

perf_stat=()
if command -v perf > /dev/null && perf stat -e context-switches -x, -o /dev/null true 2> /dev/null; then
  perf_stat=(perf stat -e context-switches,cpu-migrations -x, -o "$work/perf.out")
fi

declare -A walls users syss cpus checked
echo "| round | runner | wall s | user s | sys s | user + sys s | context switches | migrations | load |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  order=("$@")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = $#; i >= 1; i--)); do order+=("${!i}"); done
  fi
  for runner in "${order[@]}"; do
    target=$work/target
    rm -rf "$target"
    mass_delete
    [ "$rest" -gt 0 ] && sleep "$rest"
    mkdir "$target"
    drop_caches
    read -r -a words <<< "$runner"
    if [ "$runner" = restic ]; then
      command=(restic -r "$work/repo-restic" restore latest --target "$target")
    else
      command=(env "${words[@]}" archive restore latest --repo "$work/repo-udc" --target "$target")
    fi
    # shellcheck disable=SC2086 # WRAP is a command prefix split on purpose
    "${perf_stat[@]}" /usr/bin/time -f "%e %U %S" -o "$work/time.out" ${WRAP:-} "${command[@]}" \
      > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
    read -r wall user sys < "$work/time.out"
    switches=-; migrations=-
    if [ "${#perf_stat[@]}" -gt 0 ]; then
      switches=$(awk -F, '$3 == "context-switches" { print $1 }' "$work/perf.out")
      migrations=$(awk -F, '$3 == "cpu-migrations" { print $1 }' "$work/perf.out")
    fi
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    walls[$runner]+="$wall "; users[$runner]+="$user "; syss[$runner]+="$sys "; cpus[$runner]+="$cpu "
    echo "| $round | $runner | $wall | $user | $sys | $cpu | $switches | $migrations | $(cut -d' ' -f1 /proc/loadavg) |"
    if [ -z "${checked[$runner]:-}" ]; then
      checked[$runner]=1
      diff -r "$dataset" "$target$dataset" > /dev/null || { echo "$runner: restore differs from the dataset" >&2; exit 1; }
    fi
  done
done
rm -rf "$work/target"

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
restic_wall=; restic_cpu=
if [ -n "${walls[restic]:-}" ]; then
  restic_wall=$(echo "${walls[restic]}" | median); restic_cpu=$(echo "${cpus[restic]}" | median)
fi
ratio() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo -; }
echo
echo "| runner | wall s median | user s median | sys s median | user + sys s median | wall / restic | cpu / restic |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for runner in "$@"; do
  wall=$(echo "${walls[$runner]}" | median); cpu=$(echo "${cpus[$runner]}" | median)
  echo "| $runner | $wall | $(echo "${users[$runner]}" | median) | $(echo "${syss[$runner]}" | median) | $cpu | $(ratio "$wall" "$restic_wall") | $(ratio "$cpu" "$restic_cpu") |"
done
echo "churn before each restore: $churn inodes created and deleted, then ${rest} s of rest; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
