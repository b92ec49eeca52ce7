"""Services of the project package: the heartbeat and the health report."""

from __future__ import annotations

from datetime import datetime

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from dutylaw.models import Heartbeat


def heartbeat_record(*, name: str, at: datetime | None = None) -> Heartbeat:
    """Upsert the heartbeat row for ``name`` (one statement, no read-then-write race)."""
    beat, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": at or timezone.now()}
    )
    return beat


def health_report(*, now: datetime | None = None) -> dict:
    """What /healthz/ answers: database, Redis and worker liveness, each ok or not."""
    report: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception:  # any failure means "down"; details stay in the server log
        report["database"] = "down"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        report["redis"] = "ok"
    except redis.RedisError:
        report["redis"] = "down"
    beat = None
    if report["database"] == "ok":
        beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        report["worker"] = "unknown"
    else:
        age = ((now or timezone.now()) - beat.beat_at).total_seconds()
        report["worker"] = "ok" if age <= settings.HEARTBEAT_MAX_AGE_SECONDS else "stale"
        report["worker_last_seen"] = beat.beat_at.isoformat()
    report["status"] = "ok" if report["database"] == report["redis"] == "ok" else "down"
    return report
