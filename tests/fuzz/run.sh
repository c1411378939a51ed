#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each on the nightly toolchain:
#
#   tests/fuzz/install.sh                 # once: cargo-fuzz
#   tests/fuzz/run.sh 60                  # all targets, 60 s each
#   tests/fuzz/run.sh 300 model_closure   # one target
#
# Corpora (tests/fuzz/corpus/<target>, gitignored) are seeded from the committed seeds
# (tests/fuzz/seeds/<target>), the CSDL fixtures, metadata/ and, when present,
# ../shared/examples/**/*.json. Crashes land in tests/fuzz/artifacts/<target>/; keep
# each one under tests/fuzz/regressions/<target>/ once fixed, where
# tests/tests/fuzz_regressions.rs replays it on stable in `cargo test`.
#
# Every target named runs whatever an earlier one found; the summary (executions,
# corpus size, new crashes per target) is always printed, and the exit status is 1
# when any target crashed or its fuzzer failed.
set -euo pipefail

seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fuzz=tests/fuzz
all_targets=(csdl_read model_closure duration_parse flags_parse registry_decode)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

seed() { # seed TARGET FILE [PREFIX-BYTE]: copies FILE into the corpus under a unique name
    local dir=$fuzz/corpus/$1 name
    name=$(printf '%s' "${3:-}$2" | sha1sum | cut -c1-16)
    if [ -n "${3:-}" ]; then
        { printf "\\x$(printf %02x "$3")"; cat "$2"; } > "$dir/$name"
    else
        cp "$2" "$dir/$name"
    fi
}

for t in "${all_targets[@]}"; do
    mkdir -p "$fuzz/corpus/$t" "$fuzz/artifacts/$t"
    for f in "$fuzz"/seeds/"$t"/* "$fuzz"/regressions/"$t"/*; do
        [ -f "$f" ] && cp "$f" "$fuzz/corpus/$t/"
    done
done

# csdl_read: every CSDL the project has, malformed fixtures included.
while IFS= read -r f; do seed csdl_read "$f"; done < <(
    find generator/tests/fixtures metadata -name '*.xml' | sort)

# duration_parse: every duration-looking string in the examples.
examples=$(cd "$root/.." && pwd)/shared/examples
if [ -d "$examples" ]; then
    { grep -rahoE '"-?P[0-9YMWDTHS.]+"' "$examples" --include='*.json' || true; } | sort -u | tr -d '"' |
        while IFS= read -r d; do
            printf '%s' "$d" > "$fuzz/corpus/duration_parse/ex-$(printf '%s' "$d" | sha1sum | cut -c1-12)"
        done
    { grep -rahoE '"[A-Z][A-Za-z]+(, ?[A-Z][A-Za-z]+)+"' "$examples" --include='*.json' || true; } | sort -u | tr -d '"' |
        while IFS= read -r d; do
            printf '%s' "$d" > "$fuzz/corpus/flags_parse/ex-$(printf '%s' "$d" | sha1sum | cut -c1-12)"
        done
fi

# registry_decode: first byte = index into TYPE_NAMES; each example under the type its
# docs page names (index.tsv), otherwise under a few common types.
mapfile -t type_names < <(sed -n '/pub const TYPE_NAMES/,/^];/p' generated/src/models/registry.rs |
    grep -oE '"[^"]+"' | tr -d '"')
index_of() {
    local i
    for i in "${!type_names[@]}"; do
        if [ "${type_names[$i]}" = "$1" ]; then echo "$i"; return; fi
    done
}
if [ -d "$examples" ]; then
    fallback=()
    for n in microsoft.graph.synchronization microsoft.graph.synchronizationJob \
        microsoft.graph.synchronizationTemplate microsoft.graph.synchronizationSchema; do
        i=$(index_of "$n"); [ -n "$i" ] && fallback+=("$i")
    done
    while IFS=$'\t' read -r file odata_type; do
        [ -f "$examples/$file" ] || continue
        i=$(index_of "$odata_type")
        if [ -n "$i" ]; then
            seed registry_decode "$examples/$file" "$i"
        else
            for i in "${fallback[@]}"; do seed registry_decode "$examples/$file" "$i"; done
        fi
    done < <(awk -F'\t' 'NR > 1 { print $1 "\t" $5 }' "$examples/index.tsv")
else
    echo "note: ../shared/examples not found; registry_decode starts from its seeds only"
fi

echo "building fuzz targets (nightly, release + debug assertions)..."
cargo +nightly fuzz build --fuzz-dir "$fuzz"

# From here on nothing may end the script early: every target runs whatever an
# earlier one found, and the summary is always printed. A crash leaves binary
# bytes in the log, so every grep on it is `grep -a` and may find nothing.
set +e

kept_inputs() { # the crash, leak, timeout and out-of-memory inputs kept for TARGET, sorted
    find "$fuzz/artifacts/$1" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null |
        sort
}

summary=()
new_inputs=()
status=0
for t in "${targets[@]}"; do
    log=$fuzz/artifacts/$t/last-run.log
    mkdir -p "$fuzz/artifacts/$t" "$fuzz/corpus/$t"
    before=$(kept_inputs "$t")
    echo "=== $t: ${seconds}s"
    cargo +nightly fuzz run --fuzz-dir "$fuzz" "$t" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1
    code=$?
    runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -aoE '[0-9]+$' | tail -n 1)
    corpus=$(find "$fuzz/corpus/$t" -type f | wc -l)
    found=$(comm -13 <(printf '%s\n' "$before") <(kept_inputs "$t") | grep -a . )
    crashes=$(printf '%s' "$found" | grep -ac .)
    line="$t: ${runs:-?} executions in ${seconds}s, corpus $corpus, new crashes $crashes"
    if [ "$crashes" -gt 0 ]; then
        status=1
        while IFS= read -r f; do new_inputs+=("$t: $f"); done <<<"$found"
    elif [ "$code" -ne 0 ]; then
        status=1
        line="$line, fuzzer exited with status $code (see $log)"
    fi
    echo "$line"
    grep -aE '^(==[0-9]+==ERROR|thread .* panicked|SUMMARY)' "$log" | head -n 5
    summary+=("$line")
done
echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ ${#new_inputs[@]} -gt 0 ]; then
    echo "new inputs kept (fix, then copy to tests/fuzz/regressions/<target>/):"
    printf '  %s\n' "${new_inputs[@]}"
fi
if [ "$status" -ne 0 ]; then
    echo "=== FAILED: a target crashed or its fuzzer failed"
fi
exit $status
