#!/bin/sh
# Time from M-x precis-summarize-url to the first answer character in *precis*,
# against the fake model ("ok") and the local page server; prints one line:
#   emacs: first char p50 12.3 ms p90 15.0 ms (n=20)
# Usage: PRECIS_BIN=build/precis bench/editors/emacs-first-char.sh   (PRECIS_BENCH_RUNS=20)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${PRECIS_BIN:-$root/build/precis}
[ -x "$bin" ] || { echo "emacs-first-char: no precis binary at $bin" >&2; exit 2; }
command -v emacs >/dev/null || { echo "emacs-first-char: emacs is not installed" >&2; exit 2; }

tmp=$(mktemp -d)
fake_pid=
pages_pid=
cleanup() {
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
    [ -n "$pages_pid" ] && kill "$pages_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

python3 "$root/tests/fake_openai.py" --lifetime 300 >"$tmp/fake.out" &
fake_pid=$!
# The page server exits when its stdin closes: hold a pipe open until we exit.
mkfifo "$tmp/hold"
python3 "$root/tests/pages/server.py" --lifetime 300 --port-file "$tmp/pages.port" \
    <"$tmp/hold" >/dev/null &
pages_pid=$!
exec 3>"$tmp/hold"

i=0
while [ ! -s "$tmp/pages.port" ] || ! grep -q '^PORT ' "$tmp/fake.out"; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "emacs-first-char: the local servers did not start" >&2; exit 2; }
    sleep 0.1
done
fake_port=$(sed -n 's/^PORT //p' "$tmp/fake.out")
pages_port=$(cat "$tmp/pages.port")

mkdir -p "$tmp/cache" "$tmp/config"
env -u OPENAI_API_KEY -u PRECIS_PROFILE -u PRECIS_CONFIG \
    XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config" \
    OPENAI_BASE_URL="http://127.0.0.1:$fake_port/v1" PRECIS_MODEL=ok \
    PRECIS_BIN="$bin" PRECIS_BENCH_URL="http://127.0.0.1:$pages_port/html" \
    emacs --batch -Q -L "$root/editors/emacs" -l "$here/emacs_first_char.el"
