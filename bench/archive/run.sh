#!/usr/bin/env bash
# Times `udc archive` against restic 0.14 and borg 1.2 on the shared 1.2 GiB dataset, in one run:
# initial backup, no-change backup, restore, backup after `make-dataset.py --mutate`, repository
# size and peak memory (max RSS from /usr/bin/time). Prints a Markdown table with wall and CPU
# (user + system) seconds: CPU time stays comparable when other work shares the machine.
#
#   bench/archive/run.sh [WORKDIR]            (default /tmp/udc-archive-bench; needs ~8 GiB free)
#   UDC=/path/to/udc bench/archive/run.sh     (time an already published udc)
#
# All three tools read the same warm page cache (the dataset is read once before each timed
# backup), start with nothing dirty left to write back (sync before each timed step) and use
# their default compression; restic uses repository format 2 (compressed).
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/udc-archive-bench}
dataset_script=${DATASET_SCRIPT:-$repo_root/../shared/bench/make-dataset.py}
[ -f "$dataset_script" ] || dataset_script=/work/shared/bench/make-dataset.py
cd "$repo_root"
deploy/install-deps.sh bench
mkdir -p "$work"
work=$(cd "$work" && pwd)
data=$work/data

if [ ! -d "$work/pristine" ]; then
  echo "building the dataset (once) ..." >&2
  python3 "$dataset_script" "$work/pristine.tmp" >/dev/null
  mv "$work/pristine.tmp" "$work/pristine"
fi
rm -rf "$data" "$work"/repo-* "$work"/restore-*
# Only the pristine dataset (slow to build) stays after the run, on success or failure.
trap 'rm -rf "$data" "$work"/repo-* "$work"/restore-* "$work/udc" "$work/time.out" "$work/last.log"' EXIT
cp -a "$work/pristine" "$data"

if [ -n "${UDC:-}" ]; then
  udc=$UDC   # an already published udc, e.g. while other projects of the solution do not build
else
  # Precompiled as operators should deploy it (composite ReadyToRun, self-contained): see publish-udc.sh.
  echo "publishing udc (Release, composite ReadyToRun; several minutes) ..." >&2
  rm -rf "$work/udc"
  bench/archive/publish-udc.sh "$work/udc" >&2
  udc="$work/udc/udc"
fi

export UDC_ARCHIVE_PASSWORD=bench-password RESTIC_PASSWORD=bench-password BORG_PASSPHRASE=bench-password
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
declare -A wall cpu rss size

warm() { find "$data" -type f -print0 | xargs -0 cat > /dev/null; }

# timed KEY TOOL COMMAND...: runs the command, records wall seconds and peak RSS (MiB).
timed() {
  local key=$1 tool=$2; shift 2
  # No step pays for an earlier one's writeback: the dataset copy above leaves 1.2 GiB dirty,
  # and a tool's own fsyncs would otherwise wait behind it (only the first tool timed, udc).
  sync
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  read -r seconds kib user sys < "$work/time.out"
  wall[$key,$tool]=$seconds
  cpu[$key,$tool]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  local mib=$(( kib / 1024 ))
  if [ -z "${rss[$tool]:-}" ] || [ "$mib" -gt "${rss[$tool]}" ]; then rss[$tool]=$mib; fi
  echo "$tool $key: ${seconds}s wall, ${cpu[$key,$tool]}s cpu, ${mib} MiB peak, load $(cut -d' ' -f1 /proc/loadavg)" >&2
}

"$udc" archive init --repo "$work/repo-udc" > /dev/null
restic init --repo "$work/repo-restic" --repository-version 2 > /dev/null
borg init --encryption=repokey-blake2 "$work/repo-borg" > /dev/null

for tool in udc restic borg; do
  warm
  case $tool in
    udc) timed initial udc "$udc" archive backup --repo "$work/repo-udc" "$data"
         timed nochange udc "$udc" archive backup --repo "$work/repo-udc" "$data" ;;
    restic) timed initial restic restic -r "$work/repo-restic" backup --host bench "$data"
            timed nochange restic restic -r "$work/repo-restic" backup --host bench "$data" ;;
    borg) timed initial borg borg create "$work/repo-borg::s1" "$data"
          timed nochange borg borg create "$work/repo-borg::s2" "$data" ;;
  esac
  size[$tool]=$(du -sb "$work/repo-$tool" | cut -f1)
done

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
for tool in udc restic borg; do
  mkdir -p "$work/restore-$tool"
  case $tool in
    udc) timed restore udc "$udc" archive restore latest --repo "$work/repo-udc" --target "$work/restore-udc" ;;
    restic) timed restore restic restic -r "$work/repo-restic" restore latest --target "$work/restore-restic" ;;
    borg) timed restore borg bash -c "cd '$work/restore-borg' && borg extract '$work/repo-borg::s1'" ;;
  esac
done
diff -r "$data" "$work/restore-udc$data" > /dev/null && echo "udc restore identical to the source" >&2
rm -rf "$work"/restore-*

python3 "$dataset_script" "$data" --mutate > /dev/null
warm
timed mutated udc "$udc" archive backup --repo "$work/repo-udc" "$data"
timed mutated restic restic -r "$work/repo-restic" backup --host bench "$data"
timed mutated borg borg create "$work/repo-borg::s3" "$data"

mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
echo
echo "| measure (wall s / cpu s) | udc archive | restic 0.14 | borg 1.2 |"
echo "|---|---:|---:|---:|"
for key in initial nochange restore mutated; do
  label=$(case $key in initial) echo "initial backup";; nochange) echo "no-change backup";; restore) echo "restore, cold cache";; mutated) echo "backup after --mutate";; esac)
  echo "| $label | ${wall[$key,udc]} / ${cpu[$key,udc]} | ${wall[$key,restic]} / ${cpu[$key,restic]} | ${wall[$key,borg]} / ${cpu[$key,borg]} |"
done
echo "| repository after initial + no-change (MiB) | $(mib "${size[udc]}") | $(mib "${size[restic]}") | $(mib "${size[borg]}") |"
echo "| peak memory, any step (MiB RSS) | ${rss[udc]} | ${rss[restic]} | ${rss[borg]} |"
