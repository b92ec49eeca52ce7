"""The health check and Celery: a real worker on the real Redis broker."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from dutylaw.celery import app
from dutylaw.models import Heartbeat
from dutylaw.services import heartbeat_record
from dutylaw.tasks import worker_heartbeat


@pytest.mark.django_db
def test_healthz_reports_stores_and_worker(client):
    body = client.get("/healthz/").json()
    assert body["database"] == "ok" and body["redis"] == "ok"
    assert body["worker"] == "unknown"
    heartbeat_record(name="worker")
    assert client.get("/healthz/").json()["worker"] == "ok"
    heartbeat_record(name="worker", at=timezone.now() - timedelta(hours=1))
    assert client.get("/healthz/").json()["worker"] == "stale"


@pytest.mark.django_db
def test_healthz_is_down_without_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["redis"] == "down"


@pytest.mark.django_db
def test_heartbeat_is_idempotent():
    worker_heartbeat()
    worker_heartbeat()
    assert Heartbeat.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_heartbeat_through_redis():
    """Beat's task, sent through Redis and run by a worker thread."""
    # A queue of its own, so a worker of a running `make run` cannot take the task.
    queue = f"test-{uuid.uuid4().hex}"
    app.conf.task_always_eager = False
    with start_worker(
        app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]
    ):
        worker_heartbeat.apply_async(queue=queue)
        deadline = timezone.now() + timedelta(seconds=20)
        while not Heartbeat.objects.filter(name="worker").exists():
            assert timezone.now() < deadline, "the worker did not run the task"
            time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_delay_on_commit_waits_for_the_transaction(monkeypatch):
    from django.db import transaction

    sent = []
    monkeypatch.setattr(worker_heartbeat, "delay", lambda *a, **k: sent.append(1))
    with transaction.atomic():
        worker_heartbeat.delay_on_commit()
        assert sent == []
    assert sent == [1]


def test_beat_schedule_names_registered_tasks():
    from django.conf import settings

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
