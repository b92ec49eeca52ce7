"""Intake throughput and latency through a real application server.

Starts gunicorn on a fresh database, posts N distinct case notices with C
concurrent clients, and N requests to a bare DRF endpoint (the same token
authentication, one row inserted), on the same server in the same run,
alternating between the two in rounds; prints requests per second,
p50/p95/p99 latency and the ratio of the two.

Usage: .venv/bin/python bench/intake.py [--requests 2000] [--concurrency 8] [--rounds 8]
Targets: intake throughput >= 0.5 x bare; intake p95 < 50 ms at 8 clients.
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
    "needed_by": "2026-12-30T17:00:00+08:00",
}


def env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DEBUG": "false",
        "HTTPS": "false",
        "BENCH_ENDPOINTS": "true",
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


def summarise(rounds: list[dict]) -> dict:
    """Throughput and latency percentiles over all rounds of one endpoint."""
    ordered = sorted(x for r in rounds for x in r["latencies"])
    wall = sum(r["wall"] for r in rounds)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {
        "requests": len(ordered),
        "errors": sum(r["errors"] for r in rounds),
        "rps": len(ordered) / wall,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.mean(ordered) * 1000,
        "rounds": [len(r["latencies"]) / r["wall"] for r in rounds],
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()

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
    try:
        wait_for_server()

        def intake_bodies(prefix: str, n: int) -> list[bytes]:
            out = []
            for i in range(n):
                body = copy.deepcopy(BODY)
                body["external_ref"] = f"{prefix}-{i}"
                out.append(json.dumps(body, ensure_ascii=False).encode())
            return out

        # Warm both paths (imports, connections, caches) before measuring.
        run_load("/api/v1/cases/", intake_bodies("warm", args.warmup), token, args.concurrency)
        run_load("/bench/bare/", [b"{}"] * args.warmup, token, args.concurrency)
        # Alternate the endpoints in rounds, so that a change in the machine's
        # speed during the run (other load on shared cores) falls on both.
        bodies = intake_bodies("bench", args.requests)
        size = -(-args.requests // args.rounds)
        intake_rounds, bare_rounds = [], []
        for start in range(0, args.requests, size):
            chunk = bodies[start : start + size]
            intake_rounds.append(run_load("/api/v1/cases/", chunk, token, args.concurrency))
            bare_rounds.append(
                run_load("/bench/bare/", [b"{}"] * len(chunk), token, args.concurrency)
            )
        intake, bare = summarise(intake_rounds), summarise(bare_rounds)
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"gunicorn sync workers: {args.workers}; clients: {args.concurrency}; "
        f"requests per endpoint: {args.requests} in {args.rounds} alternating rounds; "
        f"cores: {os.cpu_count()}"
    )
    print(f"{'endpoint':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in (("intake POST /cases/", intake), ("bare DRF insert", bare)):
        print(
            f"{name:<22}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>8}"
        )
    per_round = [i / b for i, b in zip(intake["rounds"], bare["rounds"], strict=True)]
    print("ratio per round: " + ", ".join(f"{r:.2f}" for r in per_round))
    ratio = intake["rps"] / bare["rps"]
    print(
        f"throughput ratio intake/bare: {ratio:.2f} (target >= 0.50: "
        f"{'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print(
        f"intake p95: {intake['p95']:.1f} ms (target < 50 ms: "
        f"{'met' if intake['p95'] < 50 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
