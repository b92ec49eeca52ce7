#!/usr/bin/env bash
# The whole test suite: lint, Django checks, migrations, translations, pytest
# (service, API, page and browser tests) on real PostgreSQL and Redis, then the
# suite again with the clock moved (scripts/test_clock.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_PY="$PWD/.venv/bin/python"
. scripts/services.sh
DB_NAME=dutylaw_test_base ensure_postgres
ensure_redis
export SECRET_KEY="test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DEBUG=false HTTPS=false ALLOWED_HOSTS="localhost,127.0.0.1,testserver"

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== manage.py check"
"$VENV_PY" manage.py check --fail-level WARNING
HTTPS=true "$VENV_PY" manage.py check --deploy --fail-level WARNING
echo "== makemigrations --check"
"$VENV_PY" manage.py makemigrations --check --dry-run
echo "== translations"
compile_messages
echo "== pytest"
"$VENV_PY" -m pytest "$@"
# Tests named on the command line run once, at the real time; the whole suite
# runs again with the clock moved ahead, around midnight and month and year ends.
if [ $# -eq 0 ]; then
  bash scripts/test_clock.sh
fi
