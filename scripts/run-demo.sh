#!/usr/bin/env bash
# `make run`: migrate, load the demo (idempotent), start the task worker, serve http://127.0.0.1:8000.
# The worker runs in the background and is stopped when the server stops (Ctrl-C).
set -euo pipefail

cd "$(dirname "$0")/.."
bin=.venv/bin
export DEBUG="${DEBUG:-1}"
addr="${RUN_ADDR:-127.0.0.1:8000}"
mkdir -p var

"$bin/chuangyou" migrate --noinput
"$bin/chuangyou" load-demo

# --no-reload: a reloading worker is two processes, and stopping the parent would orphan the child.
"$bin/chuangyou" db_worker --interval 1 --no-reload &
worker=$!
stop_worker() {
    if kill -0 "$worker" 2>/dev/null; then
        kill "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo
echo "创优 is at http://$addr/  (Ctrl-C stops the server and the task worker)"
"$bin/chuangyou" runserver "$addr"
