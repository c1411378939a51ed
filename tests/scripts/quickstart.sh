#!/usr/bin/env bash
# The README's promise, checked as a new user meets it: a new cargo project gets the
# README's `[dependencies]` lines (the path adjusted to this checkout) and the README's
# quick start as `src/main.rs`, unchanged; it must build, and run far enough to ask
# for its token. Other crates come from crates.io, at the versions of the workspace's
# Cargo.lock, built into the workspace's target folder so that they are reused.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
readme="$root/README.md"

# The README's first ```toml block, and the first ```rust block after "## Quick start".
deps="$(awk '/^```toml$/ { inside = 1; next } inside && /^```$/ { exit } inside' "$readme")"
main="$(awk '/^## Quick start/ { section = 1 } section && /^```rust(,no_run)?$/ { inside = 1; next } inside && /^```$/ { exit } inside' "$readme")"
if [[ -z "$deps" || -z "$main" ]]; then
    echo "quickstart: README.md has no \`\`\`toml block or no \`\`\`rust block under '## Quick start'" >&2
    exit 1
fi
if ! grep -q '^msgraph-sync = { path = "' <<<"$deps"; then
    echo "quickstart: the README's toml block has no 'msgraph-sync = { path = \"...\" }' line" >&2
    exit 1
fi
deps="$(sed -E "s|^(msgraph-sync = \{ path = )\"[^\"]*\"|\1\"$root/generated\"|" <<<"$deps")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
cargo new --quiet --vcs none --bin quickstart
cd quickstart
sed -i '/^\[dependencies\]$/d' Cargo.toml
printf '\n%s\n' "$deps" >> Cargo.toml
printf '%s\n' "$main" > src/main.rs
cp "$root/Cargo.lock" Cargo.lock
echo "quickstart: Cargo.toml dependencies:"
sed -n '/^\[dependencies\]/,$p' Cargo.toml

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --quiet
# Without a token it must stop with an error that names the variable.
set +e
output="$(env -u GRAPH_TOKEN "$CARGO_TARGET_DIR/debug/quickstart" 2>&1)"
status=$?
set -e
if [[ $status -eq 0 || "$output" != *GRAPH_TOKEN* ]]; then
    echo "quickstart: expected a failure naming GRAPH_TOKEN, got status $status: $output" >&2
    exit 1
fi
echo "quickstart: builds; without a token it says: $output"
