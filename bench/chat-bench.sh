#!/usr/bin/env bash
# Benchmarks `precis chat`: Enter to the first answer character beside the CLI's first
# character, and RSS after 200 turns. Usage: bash bench/chat-bench.sh [BUILD_DIR] [RUNS] [TURNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
exec python3 "$here/chat/chat_bench.py" "$build/precis" "${2:-30}" "${3:-200}"
