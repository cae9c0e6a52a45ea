#!/usr/bin/env bash
# Runs the real tool, `precis extract --format text|markdown|json`, over every
# page of both corpora (readability: */source.html; trafilatura: eval/*.html and
# cache/*.html) under AddressSanitizer + UndefinedBehaviorSanitizer, two pages at
# a time. A page fails on any sanitizer report, crash, hang or exit code other
# than 0 or 3 (no readable content). Not part of ctest: it takes minutes.
#
# Usage: tests/sanitize-corpus.sh              ASan+UBSan build in build-asan/
#        tests/sanitize-corpus.sh --valgrind   plain build in build-valgrind/, valgrind
#                                              on a sample of SAMPLE pages (default 12)
# Environment: PRECIS_SHARED (default ../shared), BUILD_DIR, SAMPLE, JOBS (default 2).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${PRECIS_SHARED:-$ROOT/../shared}
FORMATS="text markdown json"

# Worker mode: check one page in every format; prints "ok PAGE" or "FAIL PAGE ...".
if [ "${1:-}" = "--one" ]; then
    bin=$2 logs=$3 mode=$4 page=$5
    name=$(printf '%s' "${page#"$SHARED"/corpus/}" | tr '/' '_')
    for fmt in $FORMATS; do
        log=$logs/$name.$fmt.log
        if [ "$mode" = valgrind ]; then
            timeout 600 valgrind -q --error-exitcode=99 --leak-check=full \
                "$bin" extract --format "$fmt" "$page" >/dev/null 2>"$log"
        else
            timeout 120 "$bin" extract --format "$fmt" "$page" >/dev/null 2>"$log"
        fi
        rc=$?
        if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$log"; then
            echo "FAIL $page --format $fmt: sanitizer report (exit $rc), see $log"
            exit 0
        fi
        if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
            echo "FAIL $page --format $fmt: exit $rc, see $log"
            exit 0
        fi
        rm -f "$log"
    done
    echo "ok $page"
    exit 0
fi

MODE=asan
[ "${1:-}" = "--valgrind" ] && MODE=valgrind
JOBS=${JOBS:-2}
shopt -s nullglob
PAGES=("$SHARED"/corpus/readability/*/source.html
       "$SHARED"/corpus/trafilatura/eval/*.html
       "$SHARED"/corpus/trafilatura/cache/*.html)
if [ ${#PAGES[@]} -eq 0 ]; then
    echo "sanitize-corpus: no corpus under $SHARED/corpus (set PRECIS_SHARED); nothing to do"
    exit 0
fi

if [ "$MODE" = valgrind ]; then
    command -v valgrind >/dev/null || { echo "sanitize-corpus: valgrind not installed" >&2; exit 1; }
    BUILD=${BUILD_DIR:-$ROOT/build-valgrind}
    mkdir -p "$BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD/cmake.log" 2>&1 ||
        { tail -30 "$BUILD/cmake.log" >&2; exit 1; }
    # An evenly spread sample: valgrind runs each page some 30 times slower.
    SAMPLE=${SAMPLE:-12}
    step=$(( (${#PAGES[@]} + SAMPLE - 1) / SAMPLE ))
    sampled=()
    for ((i = 0; i < ${#PAGES[@]}; i += step)); do sampled+=("${PAGES[$i]}"); done
    PAGES=("${sampled[@]}")
else
    BUILD=${BUILD_DIR:-$ROOT/build-asan}
    mkdir -p "$BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DPRECIS_SANITIZE=ON >"$BUILD/cmake.log" 2>&1 ||
        { tail -30 "$BUILD/cmake.log" >&2; exit 1; }
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fi
cmake --build "$BUILD" -j2 --target precis >>"$BUILD/cmake.log" 2>&1 ||
    { tail -30 "$BUILD/cmake.log" >&2; exit 1; }

LOGS=$BUILD/sanitize-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
echo "sanitize-corpus: $MODE, ${#PAGES[@]} pages x ($FORMATS), $JOBS at a time; logs of failures in $LOGS"
start=$(date +%s)
printf '%s\0' "${PAGES[@]}" |
    xargs -0 -n1 -P"$JOBS" bash "$0" --one "$BUILD/precis" "$LOGS" "$MODE" >"$LOGS/results.txt"
clean=$(grep -c '^ok ' "$LOGS/results.txt")
failed=$(grep -c '^FAIL ' "$LOGS/results.txt")
grep '^FAIL ' "$LOGS/results.txt"
for log in "$LOGS"/*.log; do
    echo "--- $log"
    grep -m1 -B2 -A14 -E 'ERROR:|runtime error:|==[0-9]+== [A-Z]' "$log" || tail -15 "$log"
done | head -200
echo "sanitize-corpus: $(( $(date +%s) - start ))s"
echo "$clean pages clean, $failed failed"
[ "$failed" -eq 0 ] && [ "$clean" -eq ${#PAGES[@]} ]
