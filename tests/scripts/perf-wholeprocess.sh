#!/usr/bin/env bash
# Whole-process timings of the generator (release) beside the floor it is judged
# against: a bare quick-xml scan of graph-v1.0.csdl.xml that decodes every
# attribute (generator/examples/scan_csdl.rs: load the file, scan it, exit). Runs
# are interleaved so every row sees the same load; prints medians, ratios to the
# scan and peak RSS. With valgrind installed it also prints instruction counts
# (stable on a busy machine; summed over threads). Rows:
#   scan           the floor
#   run_stamped    `cargo run` with nothing to change (the release binary)
#   check_stamped  `--check`, up to date
#   check_full     `--check` with no target/ (no stamp, no format cache: a fresh CI checkout)
#   update         update --from the full v1.0 CSDL --permissions the full reference,
#                  nothing changed since the last update (format cache in target/)
#   update_cold    the same with no target/ (every file formatted)
#   debug_run      warm `cargo run -q` in the default (debug) profile, cargo included
#
#   tests/scripts/perf-wholeprocess.sh [runs]        # default 15 (debug_run: a third)
#
# Works on scratch copies of metadata/, generated/ and tests/ (the tree is never
# touched). Needs ../shared/metadata/ (graph-v1.0.csdl.xml, permissions.json).
set -euo pipefail
runs="${1:-15}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$repo/../shared/metadata"
[ -f "$shared/graph-v1.0.csdl.xml" ] || { echo "skipped: $shared not found"; exit 0; }

cd "$repo"
cargo build --release -q -p msgraph-sync-generator --bin msgraph-sync-generator --example scan_csdl
cargo build -q -p msgraph-sync-generator --bin msgraph-sync-generator
target="${CARGO_TARGET_DIR:-$repo/target}"
gen="$target/release/msgraph-sync-generator"
scan_bin="$target/release/examples/scan_csdl"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# `up`: up to date with a stamp (target/ exists); `check`: up to date, no target/
# (so no stamp: a full generation compared with the tree); `upd`: update with its
# format cache in target/; `cold`: update with no target/.
for ws in up check upd cold; do
  mkdir -p "$work/$ws"
  cp -r metadata generated tests "$work/$ws/"
done
mkdir -p "$work/up/target" "$work/upd/target"
"$gen" --root "$work/up" >/dev/null
update=(update --from "$shared/graph-v1.0.csdl.xml" --permissions "$shared/permissions.json")
"$gen" --root "$work/upd" "${update[@]}" >/dev/null
"$gen" --root "$work/cold" "${update[@]}" >/dev/null

declare -A cmd=(
  [scan]="$scan_bin $shared/graph-v1.0.csdl.xml"
  [run_stamped]="$gen --root $work/up"
  [check_stamped]="$gen --root $work/up --check"
  [check_full]="$gen --root $work/check --check"
  [update]="$gen --root $work/upd ${update[*]}"
  [update_cold]="$gen --root $work/cold ${update[*]}"
  [debug_run]="cargo run -q --manifest-path $repo/Cargo.toml -- --root $work/up"
)
rows=(scan run_stamped check_stamped check_full update update_cold debug_run)

ms_now() { date +%s%N; }
declare -A times peak
for ((i = 0; i < runs; i++)); do
  for row in "${rows[@]}"; do
    # cargo itself dominates the debug row: a third of the runs.
    [ "$row" = debug_run ] && (( i % 3 != 0 )) && continue
    start=$(ms_now)
    /usr/bin/time -f "%M" -o "$work/rss" ${cmd[$row]} >/dev/null 2>&1
    end=$(ms_now)
    times[$row]+="$(( (end - start) / 1000 )) "
    rss=$(tail -1 "$work/rss")
    (( rss > ${peak[$row]:-0} )) && peak[$row]=$rss
  done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
scan_us=$(echo "${times[scan]}" | median)
printf '%-14s %10s %8s %10s\n' "row" "median ms" "x scan" "peak MiB"
for row in "${rows[@]}"; do
  us=$(echo "${times[$row]}" | median)
  awk -v r="$row" -v us="$us" -v s="$scan_us" -v kb="${peak[$row]}" \
    'BEGIN {printf "%-14s %10.1f %8.2f %10.1f\n", r, us/1000, us/s, kb/1024}'
done

if command -v valgrind >/dev/null; then
  echo
  printf '%-14s %14s %8s\n' "row" "instructions" "x scan"
  declare -A ir
  for row in "${rows[@]}"; do
    [ "$row" = debug_run ] && continue
    ir[$row]=$(valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null ${cmd[$row]} 2>&1 >/dev/null |
      sed -n "s/.*Collected : \([0-9]*\).*/\1/p" | tail -1)
    awk -v r="$row" -v n="${ir[$row]}" -v s="${ir[scan]}" 'BEGIN {printf "%-14s %14d %8.2f\n", r, n, n/s}'
  done
  echo "(instructions under valgrind: SHA-256 runs in software there, natively with SHA-NI)"
fi
echo "(budgets: update <= 4x the scan and <= 64 MiB, run_stamped <= 1x, check <= 2x)"
