#!/usr/bin/env bash
# Extraction speed and memory: precis against gumbo's bare parse (the floor),
# Readability.js on jsdom and readability-lxml, on Mozilla Readability's test
# pages, in one run. See bench/README.md for what each column means.
#
# Environment: PRECIS_SHARED (default ../shared next to the repo), BUILD_DIR
# (default build-bench), REPS (precis/gumbo repetitions per page, default 5),
# PEER_REPS (peer repetitions per page, default 3), SAMPLE (pages timed as whole
# processes, default 10), PROC_REPS (runs per sampled page, default 3).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${PRECIS_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus/readability
BUILD=${BUILD_DIR:-$ROOT/build-bench}
REPS=${REPS:-5}
PEER_REPS=${PEER_REPS:-3}
SAMPLE=${SAMPLE:-10}
PROC_REPS=${PROC_REPS:-3}
OUT=$ROOT/bench/out
PY=/usr/bin/python3

say() { printf 'extract-bench: %s\n' "$*" >&2; }

shopt -s nullglob
PAGES=("$CORPUS"/*/source.html)
if [ ${#PAGES[@]} -eq 0 ]; then
    say "no pages under $CORPUS (set PRECIS_SHARED); skipping the benchmark"
    exit 0
fi
mkdir -p "$OUT"

# --- dependencies, installed only when missing -------------------------------
apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        say "installing Debian packages: $*"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$OUT/apt.log" 2>&1 ||
            { apt-get update -q >>"$OUT/apt.log" 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$OUT/apt.log" 2>&1; } ||
            say "apt-get install $* failed (see $OUT/apt.log)"
    else
        say "missing Debian packages: $* (run as root or install them; skipping what needs them)"
    fi
}
need=()
[ -x /usr/bin/time ] || need+=(time)
{ [ -x "$PY" ] && "$PY" -c 'import readability' 2>/dev/null; } || need+=(python3-readability)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
HAVE_TIME=0; [ -x /usr/bin/time ] && HAVE_TIME=1
HAVE_LXML=0; [ -x "$PY" ] && "$PY" -c 'import readability' 2>/dev/null && HAVE_LXML=1

HAVE_JS=0
if command -v node >/dev/null && command -v npm >/dev/null; then
    if [ ! -d "$ROOT/bench/node_modules/jsdom" ] || [ ! -d "$ROOT/bench/node_modules/@mozilla/readability" ]; then
        say "installing jsdom and @mozilla/readability into bench/node_modules"
        (cd "$ROOT/bench" && npm install --no-audit --no-fund >"$OUT/npm.log" 2>&1) ||
            say "npm install failed (see $OUT/npm.log)"
    fi
    [ -d "$ROOT/bench/node_modules/jsdom" ] && HAVE_JS=1
else
    say "node/npm not found: Readability.js is skipped"
fi

# --- build --------------------------------------------------------------------
say "building extract_speed and precis in $BUILD"
cmake -S "$ROOT" -B "$BUILD" >"$OUT/cmake.log" 2>&1 ||
    { cat "$OUT/cmake.log" >&2; exit 1; }
cmake --build "$BUILD" -j2 --target extract_speed >>"$OUT/cmake.log" 2>&1 ||
    { tail -30 "$OUT/cmake.log" >&2; exit 1; }
cmake --build "$BUILD" -j2 --target precis >>"$OUT/cmake.log" 2>&1 || say "precis did not build"

# The largest page (memory) and an evenly spread sample (whole-process times).
LARGEST=$(ls -S "${PAGES[@]}" | head -1)
LARGEST_BYTES=$(stat -c %s "$LARGEST")
SAMPLED=()
step=$(( (${#PAGES[@]} + SAMPLE - 1) / SAMPLE ))
for ((i = 0; i < ${#PAGES[@]}; i += step)); do SAMPLED+=("${PAGES[$i]}"); done

# The tool counts only if it really extracts: exit 0 with readable text.
PRECIS="$BUILD/precis"
HAVE_CLI=0
if [ -x "$PRECIS" ]; then
    set +e
    n=$("$PRECIS" extract --format text "$LARGEST" 2>/dev/null | wc -c)
    set -e
    [ "$n" -gt 200 ] && HAVE_CLI=1
fi
[ $HAVE_CLI -eq 1 ] || say "'precis extract --format text' does not work yet: whole-process and RSS columns for precis are n/a"

# value KEY LINE: prints the number after KEY= in LINE.
value() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

# --- in-process ---------------------------------------------------------------
say "in-process: precis + gumbo parse, ${#PAGES[@]} pages x $REPS runs"
"$BUILD/bench/extract_speed" -v -n "$REPS" "${PAGES[@]}" >"$OUT/precis.txt"
P_EXT=$(grep '^extract ' "$OUT/precis.txt")
P_PARSE=$(grep '^parse ' "$OUT/precis.txt")
P_OVER=$(value pct "$(grep '^overhead ' "$OUT/precis.txt")")
P_FAIL=$(value not_extracted "$(grep '^input ' "$OUT/precis.txt")")

JS_LINE=""
if [ $HAVE_JS -eq 1 ]; then
    say "in-process: Readability.js on jsdom, ${#PAGES[@]} pages x $PEER_REPS runs"
    JS_LINE=$(cd "$ROOT/bench" && node readability_js.mjs -n "$PEER_REPS" "${PAGES[@]}" 2>"$OUT/js.err") ||
        { say "Readability.js failed (see $OUT/js.err)"; JS_LINE=""; }
fi
LX_LINE=""
if [ $HAVE_LXML -eq 1 ]; then
    say "in-process: readability-lxml, ${#PAGES[@]} pages x $PEER_REPS runs"
    LX_LINE=$("$PY" "$ROOT/bench/readability_lxml.py" -n "$PEER_REPS" "${PAGES[@]}" 2>"$OUT/lxml.err") ||
        { say "readability-lxml failed (see $OUT/lxml.err)"; LX_LINE=""; }
fi

# --- whole process --------------------------------------------------------------
# proc_median CMD...: median wall time (ms) of CMD PAGE over the sampled pages
# (each page's median of PROC_REPS runs); output discarded, exit code ignored.
proc_median() {
    "$PY" - "$PROC_REPS" "$@" -- "${SAMPLED[@]}" <<'EOF'
import statistics, subprocess, sys, time
reps = int(sys.argv[1])
sep = sys.argv.index("--")
cmd, pages = sys.argv[2:sep], sys.argv[sep + 1:]
per_page = []
for page in pages:
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        subprocess.run(cmd + [page], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append((time.perf_counter() - t0) * 1000.0)
    per_page.append(statistics.median(runs))
print("%.1f" % statistics.median(per_page))
EOF
}
# peak_rss CMD...: peak resident set (KiB) of CMD on the largest page.
peak_rss() {
    [ $HAVE_TIME -eq 1 ] || { echo ""; return; }
    /usr/bin/time -f '%M' -o "$OUT/rss.tmp" "$@" "$LARGEST" >/dev/null 2>&1 || true
    tail -1 "$OUT/rss.tmp"
}

say "whole process: ${#SAMPLED[@]} sampled pages x $PROC_REPS runs per tool; peak RSS on $(basename "$(dirname "$LARGEST")") ($LARGEST_BYTES bytes)"
P_PROC=""; P_RSS=""; JS_PROC=""; JS_RSS=""; LX_PROC=""; LX_RSS=""
if [ $HAVE_CLI -eq 1 ]; then
    P_PROC=$(proc_median "$PRECIS" extract --format text)
    P_RSS=$(peak_rss "$PRECIS" extract --format text)
fi
if [ $HAVE_JS -eq 1 ]; then
    JS_PROC=$(cd "$ROOT/bench" && proc_median node readability_js.mjs --once)
    JS_RSS=$(cd "$ROOT/bench" && peak_rss node readability_js.mjs --once)
fi
if [ $HAVE_LXML -eq 1 ]; then
    LX_PROC=$(proc_median "$PY" "$ROOT/bench/readability_lxml.py" --once)
    LX_RSS=$(peak_rss "$PY" "$ROOT/bench/readability_lxml.py" --once)
fi
rm -f "$OUT/rss.tmp"

# --- report -----------------------------------------------------------------------
mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }' || echo "n/a"; }
or_na() { [ -n "$1" ] && echo "$1" || echo "n/a"; }
row() { printf '%-26s | %14s | %10s | %15s | %12s\n' "$@"; }

echo
P_BYTES=$(value bytes "$(grep '^input ' "$OUT/precis.txt")")
echo "Extraction benchmark: ${#PAGES[@]} pages, $(awk -v b="$P_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MB of HTML, $(uname -m), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
[ "$P_FAIL" = "0" ] || echo "precis found no content on $P_FAIL page(s) (timed all the same)"
row "tool" "in-proc median" "mean" "whole-process" "peak RSS"
row "" "ms/page" "ms/page" "median ms" "largest page"
row "--------------------------" "--------------" "----------" "---------------" "------------"
row "precis extract (text)" "$(value median_ms "$P_EXT")" "$(value mean_ms "$P_EXT")" "$(or_na "$P_PROC")" "$(mb "$P_RSS")"
row "gumbo parse only (floor)" "$(value median_ms "$P_PARSE")" "$(value mean_ms "$P_PARSE")" "-" "-"
if [ -n "$JS_LINE" ]; then
    row "Readability.js + jsdom" "$(value median_ms "$JS_LINE")" "$(value mean_ms "$JS_LINE")" "$(or_na "$JS_PROC")" "$(mb "$JS_RSS")"
else
    row "Readability.js + jsdom" "n/a" "n/a" "n/a" "n/a"
fi
if [ -n "$LX_LINE" ]; then
    row "readability-lxml" "$(value median_ms "$LX_LINE")" "$(value mean_ms "$LX_LINE")" "$(or_na "$LX_PROC")" "$(mb "$LX_RSS")"
else
    row "readability-lxml" "n/a" "n/a" "n/a" "n/a"
fi
echo

# verdict LABEL VALUE OP TARGET: prints VALUE against its target.
verdict() {
    awk -v l="$1" -v v="$2" -v op="$3" -v t="$4" -v u="$5" 'BEGIN {
        ok = (op == "<=") ? (v <= t) : (v >= t);
        printf "%-44s %8.1f%s  (target %s %s%s) %s\n", l, v, u, op, t, u, ok ? "ok" : "MISSED" }'
}
verdict "extraction adds to gumbo's parse time" "$P_OVER" "<=" 50 "%"
P_MEAN=$(value mean_ms "$P_EXT"); P_MED=$(value median_ms "$P_EXT")
if [ -n "$JS_LINE" ]; then
    verdict "faster than Readability.js (mean)" "$(awk -v a="$(value mean_ms "$JS_LINE")" -v b="$P_MEAN" 'BEGIN{print a/b}')" ">=" 20 "x"
    verdict "faster than Readability.js (median)" "$(awk -v a="$(value median_ms "$JS_LINE")" -v b="$P_MED" 'BEGIN{print a/b}')" ">=" 20 "x"
fi
if [ -n "$LX_LINE" ]; then
    verdict "faster than readability-lxml (mean)" "$(awk -v a="$(value mean_ms "$LX_LINE")" -v b="$P_MEAN" 'BEGIN{print a/b}')" ">=" 3 "x"
    verdict "faster than readability-lxml (median)" "$(awk -v a="$(value median_ms "$LX_LINE")" -v b="$P_MED" 'BEGIN{print a/b}')" ">=" 3 "x"
fi
if [ -n "$P_RSS" ]; then
    verdict "precis peak RSS / largest page size" "$(awk -v k="$P_RSS" -v b="$LARGEST_BYTES" 'BEGIN{print k*1024/b}')" "<=" 20 "x"
else
    echo "precis peak RSS / largest page size: n/a ($([ $HAVE_TIME -eq 1 ] && echo 'CLI not ready' || echo 'GNU time missing'))"
fi
echo "per-page figures: $OUT/precis.txt"
