#!/usr/bin/env bash
# Start Kaoping locally: migrate the SQLite database in var/, build the demo company (once: a
# second run only prints the logins), and serve on $ADDR (default 127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR="${ADDR:-127.0.0.1:8000}"
KAOPING=.venv/bin/kaoping

mkdir -p var
export DATABASE_URL="sqlite:///$PWD/var/kaoping.sqlite3"

"$KAOPING" migrate --no-input

"$KAOPING" demo  # builds the demo company once, then prints the demo logins

echo
echo "考评 Kaoping: http://$ADDR/   (Ctrl-C 停止 / to stop)"
echo
exec "$KAOPING" runserver "$ADDR"
