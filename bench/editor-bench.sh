#!/usr/bin/env bash
# Time from a command to the first answer character, measured side by side in one
# run: the command line (a whole process), a warm `precis serve` (request line to
# first delta, the floor for the editors), Emacs (M-x precis-summarize-url to the
# first character in *precis*), Vim and Neovim (:Precis URL to the first character
# in [precis]). Every run uses the fake model ("ok") and the local page server, so
# the figures measure precis and the editors, not a model.
# Usage: bash bench/editor-bench.sh   (PRECIS_BIN=build/precis, PRECIS_BENCH_RUNS=20)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PRECIS_BIN=${PRECIS_BIN:-$root/build/precis}
runs=${PRECIS_BENCH_RUNS:-20}
export PRECIS_BENCH_RUNS=$runs
[ -x "$PRECIS_BIN" ] || { echo "editor-bench: build precis first (no $PRECIS_BIN)" >&2; exit 2; }
echo "time to the first answer character, $runs runs each, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
python3 "$root/bench/editors/cli_first_char.py"
if command -v emacs >/dev/null; then
  sh "$root/bench/editors/emacs-first-char.sh"
else
  echo "emacs: not installed (apt-get install emacs-nox)"
fi
if command -v vim >/dev/null || command -v nvim >/dev/null; then
  python3 "$root/bench/editors/vim_first_char.py" "$PRECIS_BIN" "$runs"
else
  echo "vim/nvim: not installed (apt-get install vim-nox neovim)"
fi
