#!/usr/bin/env bash
# The guard against time bombs: the suite again with the clock moved (see
# tests/clock.py), after the run at the real time in scripts/test.sh.
#
#   +400d@00:30         400 days ahead, just after midnight in Shanghai (UTC: the day before)
#   month-end+14@23:58  a month's last day 14 months ahead; the day and month change mid-run
#   year-end+2@23:58    31 December two years ahead; the year changes mid-run
#
# Browser tests stay at the real time: Chromium reads the machine's clock, not
# the test process's. Tests marked timeless (input fuzzing, the permission
# matrix: what a request holds and who sends it, not when) run once. DUTYLAW_TEST_CLOCKS overrides the list; one moment from a
# failure's header (e.g. 2028-02-29T23:58:00+08:00) reproduces it.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_PY="$PWD/.venv/bin/python"
if [ -z "${SECRET_KEY:-}" ]; then
  . scripts/services.sh
  DB_NAME=dutylaw_test_base ensure_postgres
  ensure_redis
  export SECRET_KEY="test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export DEBUG=false HTTPS=false ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
fi

for moment in ${DUTYLAW_TEST_CLOCKS:-+400d@00:30 month-end+14@23:58 year-end+2@23:58}; do
  echo "== pytest with the clock at $moment"
  DUTYLAW_TEST_CLOCK="$moment" "$VENV_PY" -m pytest -q -m "not browser and not timeless" "$@"
done
