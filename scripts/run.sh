#!/usr/bin/env bash
# Run DutyLaw on this machine: install, migrate, load the demo once, then start
# the web server, a Celery worker and Celery beat. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s venv
VENV_PY="$PWD/.venv/bin/python"
. scripts/services.sh
ensure_postgres
ensure_redis

if [ ! -s "$RUN_DIR/secret_key" ]; then
  "$VENV_PY" -c "import secrets; print(secrets.token_urlsafe(50))" > "$RUN_DIR/secret_key"
  chmod 600 "$RUN_DIR/secret_key"
fi
export SECRET_KEY_FILE="$RUN_DIR/secret_key"
export DEBUG="${DEBUG:-false}" HTTPS="${HTTPS:-false}"
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost,127.0.0.1,$HOST}"

compile_messages
"$VENV_PY" manage.py migrate --noinput -v 0
"$VENV_PY" manage.py collectstatic --noinput -v 0
"$VENV_PY" manage.py load_demo

pids=()
cleanup() { trap - EXIT INT TERM; [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

.venv/bin/celery -A dutylaw worker --loglevel=INFO --concurrency=2 >"$RUN_DIR/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A dutylaw beat --loglevel=INFO >"$RUN_DIR/beat.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn dutylaw.wsgi --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-3}" \
  --access-logfile "$RUN_DIR/access.log" --error-logfile "$RUN_DIR/web.log" &
pids+=($!)

cat <<TXT

DutyLaw is running at http://$HOST:$PORT/
  health:      http://$HOST:$PORT/healthz/
  API docs:    http://$HOST:$PORT/api/v1/docs/
  logs:        .run/web.log .run/worker.log .run/beat.log

Demo logins (password: dutylaw-demo)
  staff      office staff (法律援助中心工作人员)
  lawyer     duty lawyer (值班律师)
  counsel    appointed counsel (指派辩护律师)
  mentor     university mentor (高校教师)
  student    student assistant (学生助理)
  reviewer   bar-association reviewer (律师协会)
  admin      administrator (/admin/)
API token:   .venv/bin/python manage.py create_api_client --procuratorate BJ-CY-JCY --name "朝阳检察院"

Press Ctrl-C to stop.
TXT
wait -n "${pids[@]}"
echo "a process stopped; see the logs in .run/" >&2
exit 1
