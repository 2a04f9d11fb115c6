#!/usr/bin/env bash
# Lint, type-check and test. The tests run on SQLite, then again on PostgreSQL when one is
# configured (DATABASE_URL=postgres...) or answers on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
LOCAL_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"

# pytest-django prefers DJANGO_SETTINGS_MODULE from the environment over pyproject.toml.
unset DJANGO_SETTINGS_MODULE

echo "== ruff check"
"$BIN/ruff" check .
echo "== ruff format --check"
"$BIN/ruff" format --check .
echo "== mypy kaoping"
"$BIN/mypy" kaoping

echo "== pytest on SQLite"
env -u DATABASE_URL "$BIN/pytest"

postgres_url=""
skip_reason=""
if [[ -n "${DATABASE_URL:-}" ]]; then
    if [[ "$DATABASE_URL" == postgres* ]]; then
        postgres_url="$DATABASE_URL"
    else
        skip_reason="DATABASE_URL is set but is not a PostgreSQL URL (${DATABASE_URL%%:*})"
    fi
elif "$BIN/python" -c '
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
except OSError:
    sys.exit(1)
'; then
    postgres_url="$LOCAL_POSTGRES_URL"
else
    skip_reason="no DATABASE_URL and nothing answers on 127.0.0.1:5432"
fi

if [[ -z "$postgres_url" ]]; then
    echo "PostgreSQL: skipped — $skip_reason"
    exit 0
fi

# Show where the tests go, without a password that may be in the URL.
echo "== pytest on PostgreSQL ($(sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$postgres_url"))"
status=0
DATABASE_URL="$postgres_url" "$BIN/pytest" || status=$?
if [[ $status -eq 5 ]]; then
    echo "PostgreSQL: no tests collected; counted as success"
    exit 0
fi
exit "$status"
