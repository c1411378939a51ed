#!/usr/bin/env bash
# Whole-process timings of the generator (release build, default features) against the
# floor measured in the same run: a bare quick-xml scan of the same CSDL that decodes
# every attribute (generator/examples/scan_csdl.rs). Rows:
#   scan     scan_csdl graph-v1.0.csdl.xml                              (the floor)
#   update   update --from graph-v1.0.csdl.xml --permissions permissions.json
#   run      `cargo run` with nothing to change (the release binary, no arguments)
#   check    --check
#   debug    warm `cargo run -q` in the default (debug) profile, cargo included
# All of them work in a scratch copy of the workspace (--root), so the real tree is
# untouched. Prints the median wall time and peak RSS (/usr/bin/time -f %M) of each and
# its ratio to the scan. Uses hyperfine when present (installed with apt-get when
# possible), otherwise a plain loop.
#
# Usage: tests/scripts/regen_time.sh [RUNS]      (default 30 runs per row; debug: RUNS/3)
# Env: SHARED (default ../shared beside the workspace), NO_INSTALL=1 to install nothing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "${SHARED:-$repo/../shared}" && pwd)
csdl=$shared/metadata/graph-v1.0.csdl.xml
permissions=$shared/metadata/permissions.json
runs=${1:-30}
debug_runs=$(( runs / 3 > 3 ? runs / 3 : 3 ))
[ -f "$csdl" ] && [ -f "$permissions" ] || { echo "missing $csdl or $permissions" >&2; exit 2; }
export CARGO_TERM_COLOR=never

# --- tools ------------------------------------------------------------------------
try_install() { # PACKAGE: apt-get install when allowed and possible
  [ -z "${NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  apt-get install -y -qq "$1" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$1" >/dev/null 2>&1; }
}
command -v hyperfine >/dev/null || try_install hyperfine || true
[ -x /usr/bin/time ] || try_install time || true
have_hyperfine=$(command -v hyperfine >/dev/null && echo 1 || echo "")
[ -n "$have_hyperfine" ] || echo "(hyperfine not available: timing with a plain loop)"
[ -x /usr/bin/time ] || echo "(GNU time not available: no peak RSS)"

# --- builds -----------------------------------------------------------------------
cd "$repo"
cargo build -q --release -p msgraph-sync-generator --bin msgraph-sync-generator --example scan_csdl
target=${CARGO_TARGET_DIR:-$repo/target}
generator=$target/release/msgraph-sync-generator
scan=$target/release/examples/scan_csdl

scratch=$(mktemp -d -t msgraph-regen.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
ws=$scratch/ws
mkdir -p "$ws"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$ws"
# The debug generator of the scratch copy, built once (dependencies from the real target).
(cd "$ws" && CARGO_TARGET_DIR=$target cargo build -q)

names=(scan update run check debug)
declare -A cmd=(
  [scan]="$scan $csdl"
  [update]="$generator update --from $csdl --permissions $permissions --root $ws"
  [run]="$generator --root $ws"
  [check]="$generator --check --root $ws"
  [debug]="env CARGO_TARGET_DIR=$target cargo run -q --manifest-path $ws/Cargo.toml"
)
# Every command once: it must succeed, and `update` leaves the scratch tree up to date.
for name in "${names[@]}"; do
  ${cmd[$name]} >/dev/null || { echo "$name failed: ${cmd[$name]}" >&2; exit 1; }
done

# --- timing -----------------------------------------------------------------------
declare -A median peak
time_loop() { # NAME N: median milliseconds of N runs
  local name=$1 n=$2 i start end
  for i in $(seq "$n"); do
    start=$(date +%s%N)
    ${cmd[$name]} >/dev/null
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
  done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'
}
for name in "${names[@]}"; do
  n=$runs; [ "$name" = debug ] && n=$debug_runs
  if [ -n "$have_hyperfine" ]; then
    hyperfine -N --style none --warmup 3 --runs "$n" --export-csv "$scratch/$name.csv" \
      "${cmd[$name]}" >/dev/null 2>&1
    # command,mean,stddev,median,user,system,min,max (seconds)
    median[$name]=$(awk -F, 'NR == 2 { printf "%.1f", $(NF - 4) * 1000 }' "$scratch/$name.csv")
  else
    time_loop "$name" 3 >/dev/null
    median[$name]=$(time_loop "$name" "$n")
  fi
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$scratch/rss" ${cmd[$name]} >/dev/null 2>&1
    peak[$name]=$(awk '{ k = $1 } END { printf "%.1f", k / 1024 }' "$scratch/rss")
  else
    peak[$name]=n/a
  fi
done

echo "graph-v1.0.csdl.xml ($(wc -c <"$csdl") bytes) + permissions.json ($(wc -c <"$permissions") bytes)"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $runs runs (debug: $debug_runs)"
printf '%-8s %10s %10s %9s\n' row 'median ms' 'peak MiB' 'x scan'
for name in "${names[@]}"; do
  printf '%-8s %10s %10s %8sx\n' "$name" "${median[$name]}" "${peak[$name]}" \
    "$(awk -v a="${median[$name]}" -v b="${median[scan]}" 'BEGIN { printf "%.2f", a / b }')"
done
echo "(budgets: update <= 4x and <= 64 MiB, run <= 1x, check <= 2x)"
