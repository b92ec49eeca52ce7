"""What a procuratorate waits for: intake latency through a real application server.

Starts gunicorn on a fresh database and posts distinct case notices with 1, 2
and 8 concurrent clients (keep-alive connections), after a warm-up; prints
p50/p95/p99 latency and throughput at each level.

Usage: .venv/bin/python bench/intake.py [--requests 600] [--clients 1,2,8] [--workers 5]
Targets: p95 < 30 ms with one client, < 50 ms with two (one per core here).
A national procuratorate system sends well under one notice a second, so
throughput is printed for information, with no target.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8799
BODY = {
    "procedure": "fast_track",
    "stage": "prosecution_review",
    "plea": True,
    "accused": {
        "name": "张三",
        "id_number": "11010519491231002X",
        "gender": "M",
        "birth_date": "1949-12-31",
        "ethnicity": "汉族",
        "language": "zh",
        "disabilities": [],
    },
    "charges": [{"code": "CL133-1", "tier": 1}],
    "possible_sentence_max_months": 6,
    "file_volumes": 1,
    "co_accused_refs": [],
    "flags": [],
    "custody": {"measure": "detained", "facility_code": "BENCH-KSS"},
}


def env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str, environ: dict) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=environ, check=True, capture_output=True, text=True
    )
    return result.stdout


def setup_database(environ: dict) -> str:
    """Fresh database, migrated, with an office, a procuratorate and a client."""
    import psycopg2
    from psycopg2 import sql

    url = environ["DATABASE_URL"]
    name = urlparse(url).path.lstrip("/")
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    manage("migrate", "-v", "0", environ=environ)
    manage(
        "shell",
        "-c",
        "from lawyers.models import LegalAidOffice, DetentionCentre;"
        "LegalAidOffice.objects.create(code='BENCH', name='Bench office');"
        "DetentionCentre.objects.create(code='BENCH-KSS', name='Bench centre')",
        environ=environ,
    )
    out = manage(
        "create_api_client",
        "--procuratorate",
        "BENCH-P",
        "--name",
        "bench",
        "--create",
        "--office",
        "BENCH",
        environ=environ,
    )
    return out.strip().splitlines()[-1]


def run_load(path: str, bodies: list[bytes], token: str, concurrency: int) -> dict:
    """Send every body once over ``concurrency`` keep-alive connections."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    queue = list(reversed(bodies))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status not in (200, 201):
                    errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "errors": len(errors), "wall": time.perf_counter() - wall}


def summarise(run: dict) -> dict:
    """Throughput and latency percentiles of one run."""
    ordered = sorted(run["latencies"])

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {
        "requests": len(ordered),
        "errors": run["errors"],
        "rps": len(ordered) / run["wall"],
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.mean(ordered) * 1000,
    }


def wait_for_server() -> None:
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            conn.request("GET", "/healthz/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not start")


TARGETS = {1: 30.0, 2: 50.0}  # p95 in ms by number of clients


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--clients", default="1,2,8")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dutylaw")
    environ = env(base.rsplit("/", 1)[0] + "/dutylaw_bench")
    token = setup_database(environ)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "dutylaw.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environ,
    )
    needed_by = time.strftime("%Y-%m-%dT17:00:00+08:00", time.localtime(time.time() + 8 * 86400))

    def bodies(prefix: str, n: int) -> list[bytes]:
        out = []
        for i in range(n):
            body = copy.deepcopy(BODY)
            body["external_ref"] = f"{prefix}-{i}"
            body["needed_by"] = needed_by
            out.append(json.dumps(body, ensure_ascii=False).encode())
        return out

    results = {}
    try:
        wait_for_server()
        # Warm every worker (imports, connections, the token and catalogue caches).
        run_load("/api/v1/cases/", bodies("warm", args.warmup), token, max(levels))
        for clients in levels:
            run = run_load("/api/v1/cases/", bodies(f"c{clients}", args.requests), token, clients)
            results[clients] = summarise(run)
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"intake POST /api/v1/cases/; gunicorn sync workers: {args.workers}; "
        f"requests per level: {args.requests}; cores: {os.cpu_count()}"
    )
    print(f"{'clients':<9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}  target")
    for clients, r in results.items():
        target = TARGETS.get(clients)
        verdict = ""
        if target is not None:
            verdict = f"p95 < {target:.0f} ms: {'met' if r['p95'] < target else 'NOT met'}"
        print(
            f"{clients:<9}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>8}  {verdict}"
        )


if __name__ == "__main__":
    main()
