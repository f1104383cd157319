#!/usr/bin/env bash
# `make run`: migrate, load the demo (idempotent), start the task worker, serve http://127.0.0.1:8000.
# The worker runs in the background and is stopped when the server stops (Ctrl-C).
set -euo pipefail

cd "$(dirname "$0")/.."
bin=.venv/bin
addr="${RUN_ADDR:-127.0.0.1:8000}"
mkdir -p var

# .env makes `chuangyou <command>` work from this checkout with the same settings as the server. Its
# SECRET_KEY also derives the ballot and audit keys, so it is written once and then kept: a database
# that already exists keeps the development key it was made with.
if [[ ! -f .env ]]; then
    if [[ -f var/chuangyou.sqlite3 ]]; then
        secret="dev-only-insecure-key-change-me"
    else
        secret="$("$bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
    fi
    printf '# Written by `make run` for development on this machine. Never use it in production.\nDEBUG=1\nSECRET_KEY=%s\n' \
        "$secret" >.env
    echo "wrote .env (DEBUG=1 and a development SECRET_KEY)"
fi
set -a
# shellcheck disable=SC1091
source .env
set +a
export DEBUG="${DEBUG:-1}"

"$bin/chuangyou" migrate --noinput
"$bin/chuangyou" load-demo

# The task worker, restarted whenever it stops (a crash, an out-of-memory kill): imports, certificates
# and reports would otherwise queue silently forever. --no-reload: a reloading worker is two processes.
keep_worker() {
    while true; do
        "$bin/chuangyou" db_worker --interval 1 --no-reload || true
        echo "the task worker stopped; starting it again in 2 s" >&2
        sleep 2
    done
}
keep_worker &
worker=$!
stop_worker() {
    if kill -0 "$worker" 2>/dev/null; then
        pkill -TERM -P "$worker" 2>/dev/null || true  # the running db_worker (or the pause between runs)
        kill "$worker" 2>/dev/null || true            # then the loop, before it starts another
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo
echo "创优 is at http://$addr/  (Ctrl-C stops the server and the task worker)"
echo "QR codes on slips and posters point to the address a page was opened at. For phones on the school's"
echo "LAN: RUN_ADDR=0.0.0.0:8000 ALLOWED_HOSTS=<this PC's LAN IP> make run, then open http://<LAN IP>:8000/"
"$bin/chuangyou" runserver "$addr"
