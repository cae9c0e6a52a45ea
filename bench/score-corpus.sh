#!/bin/sh
# Scores main-content extraction on the labelled corpora in ../shared/corpus with
# ../shared/tools/score-extract.py, in-process (bench/extract_batch, --batch).
#
#   bench/score-corpus.sh [BUILD_DIR] [--cli]
#
# BUILD_DIR (default: build) holds bench/extract_batch and precis. With --cli it also
# scores the real binary page by page: precis extract --format text FILE.
# Per-page CSVs are left in $BUILD_DIR/score-*.csv for finding the worst pages.
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

summary=""
for kind in readability trafilatura; do
    [ -d "$corpus/$kind" ] || { echo "score-corpus: skipped $kind: no corpus"; continue; }
    line=$(python3 "$scorer" --kind "$kind" --data "$corpus/$kind" --batch \
        --cmd "$batch {list} {outdir}" --timeout 600 \
        --csv "$build/score-$kind.csv" --name "$kind" | tail -n 1)
    summary="$summary$kind (batch): $line
"
    if [ "$cli" = "--cli" ]; then
        line=$(python3 "$scorer" --kind "$kind" --data "$corpus/$kind" \
            --cmd "$build/precis extract --format text {file}" --timeout 30 \
            --csv "$build/score-$kind-cli.csv" --name "$kind-cli" | tail -n 1)
        summary="$summary$kind (cli):   $line
"
    fi
done
printf '%s' "$summary"
