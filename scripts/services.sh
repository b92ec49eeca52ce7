# Sourced by run.sh and test.sh: find or start PostgreSQL and Redis.
#
# DATABASE_URL / REDIS_URL win when set. Otherwise the servers on localhost's
# standard ports are used; where none answers but the server programs are
# installed, private ones are started under .run/ (git-ignored) on other ports.

RUN_DIR="${RUN_DIR:-$PWD/.run}"
mkdir -p "$RUN_DIR"

die() { echo "error: $*" >&2; exit 1; }

py_can_connect_pg() {
  "$VENV_PY" - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3)
conn.close()
PY
}

ensure_database() {
  # Create the database named in DATABASE_URL if it does not exist.
  "$VENV_PY" - "$DATABASE_URL" <<'PY'
import sys
from urllib.parse import urlparse
import psycopg2
from psycopg2 import sql
url = sys.argv[1]
name = urlparse(url).path.lstrip("/")
conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5)
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cur.fetchone() is None:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
conn.close()
PY
}

start_private_postgres() {
  local bindir port=54329 data="$RUN_DIR/pg"
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] || command -v initdb >/dev/null || return 1
  [ -n "$bindir" ] || bindir=$(dirname "$(command -v initdb)")
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || return 1
    as=(runuser -u postgres --)
    mkdir -p "$data"; chown postgres "$RUN_DIR" "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    "${as[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  "${as[@]}" "$bindir/pg_ctl" -D "$data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" \
    -l "$data/server.log" -w start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/dutylaw"
  echo "started a private PostgreSQL on port $port (data in .run/pg)"
}

ensure_postgres() {
  if [ -z "${DATABASE_URL:-}" ]; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB_NAME:-dutylaw}"
    if ! py_can_connect_pg "$DATABASE_URL"; then
      start_private_postgres || die "no PostgreSQL answers on 127.0.0.1:5432 and none is installed.
  Install it (Debian: apt-get install postgresql) or set DATABASE_URL."
    fi
  fi
  py_can_connect_pg "$DATABASE_URL" || die "cannot connect to PostgreSQL at DATABASE_URL"
  ensure_database
}

redis_answers() {
  "$VENV_PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" "$1" \
    >/dev/null 2>&1
}

ensure_redis() {
  if [ -z "${REDIS_URL:-}" ]; then
    export REDIS_URL="redis://127.0.0.1:6379/0"
    if ! redis_answers "$REDIS_URL"; then
      command -v redis-server >/dev/null || die "no Redis answers on 127.0.0.1:6379 and none is installed.
  Install it (Debian: apt-get install redis-server) or set REDIS_URL."
      redis-server --daemonize yes --bind 127.0.0.1 --port 63799 --save "" --appendonly no \
        --dir "$RUN_DIR" --logfile "$RUN_DIR/redis.log" --pidfile "$RUN_DIR/redis.pid" >/dev/null
      export REDIS_URL="redis://127.0.0.1:63799/0"
      for _ in 1 2 3 4 5 6 7 8 9 10; do redis_answers "$REDIS_URL" && break; sleep 0.3; done
      echo "started a private Redis on port 63799"
    fi
  fi
  redis_answers "$REDIS_URL" || die "cannot reach Redis at REDIS_URL"
}

compile_messages() {
  if command -v msgfmt >/dev/null; then
    "$VENV_PY" manage.py compilemessages --ignore=.venv --ignore=.run -v 0
  else
    echo "note: gettext's msgfmt is not installed; using the committed .mo files" >&2
  fi
}
