#!/bin/sh
# Scores main-content extraction on the labelled corpora in ../shared/corpus with
# ../shared/tools/score-extract.py, in-process (bench/extract_batch, --batch).
#
#   bench/score-corpus.sh [BUILD_DIR] [--cli]
#
# BUILD_DIR (default: build) holds bench/extract_batch and precis. With --cli it also
# scores the real binary page by page: precis extract --format text FILE.
# Per-page CSVs are left in $BUILD_DIR/score-*.csv for finding the worst pages.
#
# Then it prints, per set, the pages whose score changed against the previous commit:
# HEAD when src/ or include/ differ from it, else HEAD~1 (BASE=REV picks another,
# BASE=none skips it). That commit's extract_batch is built once from `git archive`
# in BUILD_DIR/score-base/ and its per-page CSVs are kept there.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$here/$build ;; esac
cli=${2:-}
shared=$here/../shared
corpus=$shared/corpus
scorer=$shared/tools/score-extract.py

if [ ! -d "$corpus" ] || [ ! -f "$scorer" ]; then
    echo "score-corpus: skipped: $corpus or $scorer is absent"
    exit 0
fi
batch=$build/bench/extract_batch
[ -x "$batch" ] || batch=$build/extract_batch
if [ ! -x "$batch" ]; then
    echo "score-corpus: $build/bench/extract_batch not found; build first" >&2
    exit 1
fi

# The commit to compare with, or nothing.
base_rev() {
    [ "${BASE:-}" = none ] && return 0
    git -C "$here" rev-parse --git-dir >/dev/null 2>&1 || return 0
    if [ -n "${BASE:-}" ]; then
        git -C "$here" rev-parse --verify -q "$BASE^{commit}"
    elif git -C "$here" diff --quiet HEAD -- src include; then
        git -C "$here" rev-parse --verify -q 'HEAD~1^{commit}' || true
    else
        git -C "$here" rev-parse HEAD
    fi
}

# Builds the base commit's extract_batch (once per commit); prints its path.
base_batch() {
    dir=$build/score-base/$1
    if [ ! -x "$dir/build/bench/extract_batch" ]; then
        rm -rf "$dir" && mkdir -p "$dir/src"
        git -C "$here" archive "$1" | tar -x -C "$dir/src"
        cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
        cmake --build "$dir/build" --target extract_batch -j2 >/dev/null
    fi
    echo "$dir/build/bench/extract_batch"
}

rev=$(base_rev)
base_batch_path=""
if [ -n "$rev" ]; then
    base_batch_path=$(base_batch "$rev") || {
        echo "score-corpus: could not build $rev for the comparison; skipping it" >&2
        base_batch_path=""
    }
fi

summary=""
changes=""
for kind in readability trafilatura; do
    [ -d "$corpus/$kind" ] || { echo "score-corpus: skipped $kind: no corpus"; continue; }
    line=$(python3 "$scorer" --kind "$kind" --data "$corpus/$kind" --batch \
        --cmd "$batch {list} {outdir}" --timeout 600 \
        --csv "$build/score-$kind.csv" --name "$kind" | tail -n 1)
    summary="$summary$kind (batch): $line
"
    if [ -n "$base_batch_path" ]; then
        base_csv=$build/score-base/$rev-$kind.csv
        if [ ! -s "$base_csv" ]; then
            python3 "$scorer" --kind "$kind" --data "$corpus/$kind" --batch \
                --cmd "$base_batch_path {list} {outdir}" --timeout 600 \
                --csv "$base_csv.tmp" --name "$kind-base" | tail -n 1 >"$base_csv.line" &&
                mv "$base_csv.tmp" "$base_csv"
        fi
        summary="$summary$kind (base):  $(cat "$base_csv.line")
"
        changes="$changes
$(python3 "$here/bench/score-diff.py" "$kind" "$base_csv" "$build/score-$kind.csv" \
            --limit "${LIMIT:-40}")
"
    fi
    if [ "$cli" = "--cli" ]; then
        line=$(python3 "$scorer" --kind "$kind" --data "$corpus/$kind" \
            --cmd "$build/precis extract --format text {file}" --timeout 30 \
            --csv "$build/score-$kind-cli.csv" --name "$kind-cli" | tail -n 1)
        summary="$summary$kind (cli):   $line
"
    fi
done
printf '%s' "$summary"
if [ -n "$base_batch_path" ]; then
    printf '\nper-page changes against %s (%s):\n%s' "$(git -C "$here" log -1 --format='%h %s' "$rev" | cut -c1-72)" \
        "BASE=none skips this" "$changes"
fi
