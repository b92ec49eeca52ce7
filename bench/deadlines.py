"""The deadline scan at scale: 1,000,000 open deadlines of which 100 (then
1,000) are due. Prints one scan's time for each, and for none due, showing the
scan grows with what is due, not with how many are open (target: under 100 ms
for 100 due).

Usage: .venv/bin/python bench/deadlines.py [--open 1000000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = urlparse(url).path.lstrip("/")
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True
    )


def seed(total: int) -> None:
    """Cases and deadlines straight in SQL (triggers off): seven kinds a case."""
    from django.db import connection

    from lawyers.models import LegalAidOffice, Procuratorate, Role, User

    office = LegalAidOffice.objects.create(code="BENCH", name="Bench office")
    proc = Procuratorate.objects.create(code="BENCH-P", name="Bench procuratorate", office=office)
    User.objects.create(username="bench-staff", role=Role.STAFF, office=office)
    kinds = [
        "assignment",
        "mandatory_appointment",
        "diversion",
        "needed_by",
        "plea_signing",
        "hearing",
        "prosecution_review",
    ]
    cases = -(-total // len(kinds))
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            """
            INSERT INTO cases_case (id, created_at, updated_at, office_id, procuratorate_id,
              external_ref, procedure, stage, status, tier, mandatory_defence, file_volumes,
              flags, co_accused_refs, custody_measure, outcome, intake_fingerprint)
            SELECT gen_random_uuid(), now(), now(), %s, %s, 'B-' || n, 'ordinary',
              'prosecution_review', 'triaged', 'duty_lawyer', false, 0, '{}', '{}', '', '', ''
            FROM generate_series(1, %s) AS n
            """,
            [office.id, proc.id, cases],
        )
        cur.execute(
            """
            INSERT INTO triage_deadline (created_at, updated_at, case_id, kind, starts_at, due_at,
              state, next_check_at, basis, basis_params)
            SELECT now(), now(), c.id, k.kind, now(), now() + interval '30 days', 'open',
              now() + interval '15 days', '', '{}'
            FROM cases_case c CROSS JOIN unnest(%s::text[]) AS k(kind)
            LIMIT %s
            """,
            [kinds, total],
        )
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("ANALYZE triage_deadline")


def make_due(count: int) -> None:
    """Move ``count`` deadlines to their 50% point, now."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            UPDATE triage_deadline SET starts_at = now() - interval '2 days',
              due_at = now() + interval '1 day', next_check_at = now() - interval '1 minute'
            WHERE id IN (SELECT id FROM triage_deadline WHERE state = 'open'
                         AND next_check_at > now() LIMIT %s)
            """,
            [count],
        )


def timed_scan() -> tuple[float, int]:
    from triage.deadlines import deadlines_scan

    started = time.perf_counter()
    handled = deadlines_scan()
    return (time.perf_counter() - started) * 1000, handled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=1_000_000)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dutylaw")
    url = base.rsplit("/", 1)[0] + "/dutylaw_bench_deadlines"
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-" + "x" * 50,
        DEBUG="false",
        HTTPS="false",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="dutylaw.settings",
    )
    prepare(url)
    import django

    django.setup()
    from triage.models import Deadline

    started = time.perf_counter()
    seed(args.open)
    seeded = Deadline.objects.filter(state="open").count()
    print(f"open deadlines: {seeded:,} (seeded in {time.perf_counter() - started:.0f} s)")
    # Warm the database connection and the broker connection the outbox uses,
    # so the figures are steady-state scans, not first connections.
    timed_scan()
    from django.db import transaction

    from triage.outbox import outbox_put

    with transaction.atomic():
        outbox_put("dutylaw.tasks.worker_heartbeat")
    results = []
    for due in (0, 100, 1000):
        if due:
            make_due(due)
        ms, handled = timed_scan()
        results.append((due, ms, handled))
        print(f"scan with {due:>5} due: {ms:7.1f} ms, handled {handled}")
    hundred = next(ms for due, ms, _h in results if due == 100)
    print(f"target: one scan with 100 due under 100 ms: {'met' if hundred < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
