#!/usr/bin/env bash
# First builds, each against its floor from ../shared/buildfloors, measured in the same
# run so that the ratios hold on a busy or different machine:
#   gen:    a fresh clone's `cargo run` (the generator, default features; clean target
#           dir after `cargo fetch`) vs floor-gen (the generator's named packages)
#   client: a new project depending on msgraph-sync by path, clean debug build, vs
#           floor-client (tokio + reqwest rustls-no-provider/http2 + rustls ring + serde_json)
# Each row runs RUNS times (floor and subject interleaved); the best time and the
# number of crates compiled are printed, then subject/floor. Network is only used by
# `cargo fetch` (nothing if ~/.cargo already holds the crates).
#
# Usage: tests/scripts/first_build.sh [RUNS] [ROWS]
#   RUNS  default 1
#   ROWS  space-separated subset of: gen client gen-fetch client-aws-lc
#         (default "gen client"; gen-fetch = the generator with --features fetch,
#         client-aws-lc = the new project with msgraph-sync's rustls-aws-lc feature)
# Env: SCRATCH (default: a fresh mktemp dir, removed at the end), CARGO_BUILD_JOBS.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
floors=$repo/../shared/buildfloors
runs=${1:-1}
rows=${2:-gen client}
[ -d "$floors/gen" ] || { echo "no build floors at $floors" >&2; exit 2; }
scratch=${SCRATCH:-$(mktemp -d -t msgraph-first-build.XXXXXX)}
[ -n "${SCRATCH:-}" ] || trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch"
export CARGO_TERM_COLOR=never

# --- the projects -------------------------------------------------------------
cp -r "$floors/gen" "$scratch/floor-gen"
cp -r "$floors/client" "$scratch/floor-client"
rm -rf "$scratch"/floor-*/target

# A fresh clone: the files git knows, as they are in the working tree.
mkdir -p "$scratch/clone"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - -cf -) | tar -xf - -C "$scratch/clone"

# A new project using the client; the workspace's lock keeps the versions it tests.
new_project() { # DIR FEATURES-TOML
  mkdir -p "$1/src"
  cat >"$1/Cargo.toml" <<EOF
[package]
name = "new-graph-project"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
msgraph-sync = { path = "$scratch/clone/generated"$2 }
tokio = { version = "1.47", features = ["rt-multi-thread", "macros"] }

[workspace]
EOF
  cat >"$1/src/main.rs" <<'EOF'
#[tokio::main]
async fn main() {
    let client = msgraph_sync::Client::builder()
        .base_url("http://127.0.0.1:1")
        .static_token("token")
        .build()
        .expect("client");
    println!("{}", client.base_url());
}
EOF
  cp "$scratch/clone/Cargo.lock" "$1/Cargo.lock"
}
new_project "$scratch/consumer" ""
new_project "$scratch/consumer-aws-lc" ', default-features = false, features = ["rustls-aws-lc"]'

for dir in floor-gen floor-client clone consumer consumer-aws-lc; do
  (cd "$scratch/$dir" && cargo fetch -q)
done

# --- timing -------------------------------------------------------------------
# build NAME DIR ARGS...: clean target dir, timed `cargo build`, crates counted.
declare -A best crates
build() {
  local name=$1 dir=$2; shift 2
  local target="$scratch/target-$name" log="$scratch/log-$name"
  rm -rf "$target"
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR=$target cargo build "$@" >"$log" 2>&1) ||
    { cat "$log" >&2; exit 1; }
  end=$(date +%s.%N)
  local t
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  crates[$name]=$(grep -c '^ *Compiling ' "$log" || true)
  printf '  %-16s %6.1f s  (%s crates)\n' "$name" "$t" "${crates[$name]}"
  if [ -z "${best[$name]:-}" ] || awk -v t="$t" -v b="${best[$name]}" 'BEGIN { exit !(t < b) }'; then
    best[$name]=$t
  fi
  rm -rf "$target"
}

pairs=()
for row in $rows; do
  case $row in
    gen) pairs+=("floor-gen:gen") ;;
    gen-fetch) pairs+=("floor-gen:gen-fetch") ;;
    client) pairs+=("floor-client:client") ;;
    client-aws-lc) pairs+=("floor-client:client-aws-lc") ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
done

run_one() {
  case $1 in
    floor-gen) build floor-gen "$scratch/floor-gen" ;;
    floor-client) build floor-client "$scratch/floor-client" ;;
    # What `cargo run` builds in a fresh clone: the default member's binary.
    gen) build gen "$scratch/clone" --bin msgraph-sync-generator ;;
    gen-fetch) build gen-fetch "$scratch/clone" --bin msgraph-sync-generator --features fetch ;;
    client) build client "$scratch/consumer" ;;
    client-aws-lc) build client-aws-lc "$scratch/consumer-aws-lc" ;;
  esac
}

echo "first builds, clean target dirs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  for pair in "${pairs[@]}"; do
    run_one "${pair%%:*}"
    run_one "${pair##*:}"
  done
done

echo
echo "best of $runs (load now $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%-16s %9s %7s   %-13s %9s %7s   %s\n' subject seconds crates floor seconds crates ratio
for pair in "${pairs[@]}"; do
  f=${pair%%:*} s=${pair##*:}
  printf '%-16s %9s %7s   %-13s %9s %7s   %sx\n' "$s" "${best[$s]}" "${crates[$s]}" \
    "$f" "${best[$f]}" "${crates[$f]}" \
    "$(awk -v s="${best[$s]}" -v f="${best[$f]}" 'BEGIN { printf "%.2f", s / f }')"
done
