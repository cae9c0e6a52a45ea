#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang in build-fuzz/ and runs each one for
# SECONDS (default 60) from its hand-written seeds in tests/fuzz/corpus/<harness>/.
# Exits non-zero if any harness crashes, printing the crashing input's path; add
# that input under tests/fuzz/regressions/<harness>/ so the unit test
# test_fuzz_regressions replays it on every build.
# Usage: tests/fuzz/run.sh [SECONDS] [HARNESS...]   (BUILD_DIR overrides build-fuzz)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
BUILD=${BUILD_DIR:-$ROOT/build-fuzz}
JOBS=2

if ! command -v clang >/dev/null; then
    echo "fuzz: clang not found; libFuzzer needs it" >&2
    exit 1
fi
mkdir -p "$BUILD"
CC=clang cmake -S "$ROOT" -B "$BUILD" -DPRECIS_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD/cmake.log" 2>&1 ||
    { cat "$BUILD/cmake.log" >&2; exit 1; }

if [ $# -gt 0 ]; then
    HARNESSES=("$@")
else
    HARNESSES=()
    for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
        HARNESSES+=("$(basename "$src" .c)")
    done
fi
cmake --build "$BUILD" -j"$JOBS" --target "${HARNESSES[@]}" >>"$BUILD/cmake.log" 2>&1 ||
    { tail -40 "$BUILD/cmake.log" >&2; echo "fuzz: build failed" >&2; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=0
for h in "${HARNESSES[@]}"; do
    work=$BUILD/corpus/$h
    artifacts=$BUILD/artifacts/$h/
    log=$BUILD/$h.log
    mkdir -p "$work" "$artifacts"
    args=(-max_total_time="$SECONDS_EACH" -timeout=30 -rss_limit_mb=2048 -max_len=16384
          -print_final_stats=1 -artifact_prefix="$artifacts")
    [ -f "$ROOT/tests/fuzz/$h.dict" ] && args+=(-dict="$ROOT/tests/fuzz/$h.dict")
    seeds=()
    [ -d "$ROOT/tests/fuzz/corpus/$h" ] && seeds+=("$ROOT/tests/fuzz/corpus/$h")
    echo "fuzz: $h for ${SECONDS_EACH}s (log: $log)"
    "$BUILD/tests/fuzz/$h" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        failed=1
        echo "fuzz: $h FAILED (exit $rc) after ${execs:-?} runs"
        grep -E 'ERROR:|runtime error|fuzz_[a-z]+: ' "$log" | head -5
        grep -A 12 '^    #0 ' "$log" | head -14
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        echo "fuzz: crashing input: ${crash:-see $log}"
        echo "fuzz: replay with: $BUILD/tests/fuzz/$h ${crash:-FILE}"
    else
        echo "fuzz: $h ok: ${execs:-?} runs, ${cov:-cov: ?}, $(ls "$work" | wc -l) corpus files"
    fi
done
exit $failed
