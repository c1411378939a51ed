#!/usr/bin/env bash
# Installs what tests/fuzz/run.sh needs: cargo-fuzz (about 25 s to build) and, if
# missing, the nightly toolchain that libFuzzer's sanitizer flags require.
set -euo pipefail
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz
fi
cargo fuzz --version
