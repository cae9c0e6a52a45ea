#!/bin/sh
# Benchmarks the model side of precis against a local OpenAI-compatible server:
# per-delta streaming latency (next to curl -N), throughput, map-reduce parallelism,
# start-up time and peak memory, in one run, printed as one table.
# See bench/README.llm.md. Exit status: 0 when every target is met, 1 otherwise.
#
#   bench/llm-bench.sh                     build (build-llmbench/) and run, ~1-2 minutes
#   PRECIS_BIN=path/to/precis bench/llm-bench.sh   benchmark that binary, no build
#   bench/llm-bench.sh --deltas 5000 ...   options are passed to sse_server.py bench
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD_DIR:-$root/build-llmbench}

if [ -z "${PRECIS_BIN:-}" ]; then
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    echo "llm-bench: building precis in $build" >&2
    if ! cmake --build "$build" --target precis -j2 >"$build/llm-bench-build.log" 2>&1; then
        tail -20 "$build/llm-bench-build.log" >&2
        [ -x "$build/precis" ] || exit 2
        echo "llm-bench: the build failed; benchmarking the previous $build/precis" >&2
    fi
    PRECIS_BIN=$build/precis
fi
[ -x "$PRECIS_BIN" ] || { echo "llm-bench: no precis binary at $PRECIS_BIN" >&2; exit 2; }
command -v curl >/dev/null || { echo "llm-bench: curl is needed as the baseline" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "llm-bench: installing time (GNU time measures peak RSS)" >&2
        apt-get install -y -qq time >/dev/null 2>&1 || true
    fi
    [ -x /usr/bin/time ] || { echo "llm-bench: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
fi

# hyperfine times the start-up; without it the driver times it itself.
if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "llm-bench: installing hyperfine" >&2
    apt-get install -y -qq hyperfine >/dev/null 2>&1 ||
        echo "llm-bench: hyperfine not installed; timing start-up in Python" >&2
fi

# The whole run is bounded: the driver's own children have timeouts and the server
# stops with the driver; this is the last resort.
exec timeout 600 python3 "$here/sse_server.py" bench --precis "$PRECIS_BIN" --root "$root" "$@"
