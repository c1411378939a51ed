#!/usr/bin/env bash
# Clean build time of the generated crate alone (its dependencies prebuilt), debug and
# release, and its line count. Usage: tests/scripts/build_time.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
lines() { find "$1" -name '*.rs' -print0 | xargs -0 cat | wc -l; }
echo "generated/src/models: $(lines generated/src/models) lines; generated/src/api: $(lines generated/src/api) lines; runtime: $(lines generated/src/runtime) lines"
for profile in dev release; do
  flag=""; [ "$profile" = release ] && flag="--release"
  cargo build -q -p msgraph-sync $flag            # dependencies
  best=""
  for _ in $(seq "$runs"); do
    cargo clean -q -p msgraph-sync $flag
    start=$(date +%s.%N)
    cargo build -q -p msgraph-sync $flag
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    echo "  $profile: ${t}s"
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$profile best of $runs: ${best}s"
done
