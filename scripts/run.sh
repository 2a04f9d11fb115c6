#!/usr/bin/env bash
# Start Kaoping locally: migrate the SQLite database in var/, load the demo data when the
# `demo` command exists (once: a second run only prints the logins), and serve on $ADDR
# (default 127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR="${ADDR:-127.0.0.1:8000}"
KAOPING=.venv/bin/kaoping

mkdir -p var
export DATABASE_URL="sqlite:///$PWD/var/kaoping.sqlite3"

"$KAOPING" migrate --no-input

if .venv/bin/python -c '
import importlib.util, sys
try:
    found = importlib.util.find_spec("kaoping.demo.management.commands.demo") is not None
except ModuleNotFoundError:
    found = False
sys.exit(0 if found else 1)
'; then
    "$KAOPING" demo  # builds the demo company once, then prints the demo logins
else
    echo "演示账号 / demo logins: (none yet: there is no \`kaoping demo\` command)"
fi

echo
echo "考评 Kaoping: http://$ADDR/   (Ctrl-C 停止 / to stop)"
echo
exec "$KAOPING" runserver "$ADDR"
