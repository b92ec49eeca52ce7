"""The outbox survives a broker outage; callbacks are signed, retried with
backoff and delivered to a real local HTTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

import dutylaw.tasks
import triage.tasks
from dutylaw.celery import app
from tests.factories import make_case
from triage.callbacks import callbacks_enqueue, deliveries_send, delivery_retry
from triage.models import CallbackDelivery, OutboxMessage
from triage.outbox import outbox_put, outbox_relay

pytestmark = pytest.mark.django_db
TASK_MODULES = (dutylaw.tasks, triage.tasks)  # registered with the app, as in a worker


def test_outbox_waits_out_a_broker_outage(monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(app, "send_task", down)
        with transaction.atomic():
            message = outbox_put("dutylaw.tasks.worker_heartbeat")
        assert outbox_relay() == 0
        message.refresh_from_db()
        assert message.sent_at is None and message.attempts >= 1
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **kw: sent.append(name))
    assert outbox_relay() == 1
    assert sent == ["dutylaw.tasks.worker_heartbeat"]
    assert outbox_relay() == 0  # published once
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_message_is_done_when_its_task_has_run_not_when_published(monkeypatch):
    published = []
    monkeypatch.setattr(app, "send_task", lambda name, **kw: published.append((name, kw)))
    with transaction.atomic():
        message = outbox_put("dutylaw.tasks.worker_heartbeat")
    sent_at = timezone.now()
    assert outbox_relay(now=sent_at) == 1
    message.refresh_from_db()
    assert message.sent_at == sent_at and message.done_at is None
    name, kwargs = published[0]
    assert kwargs["kwargs"] == {"_outbox_id": message.pk}
    app.tasks[name].apply(kwargs=kwargs["kwargs"])  # a worker runs it
    message.refresh_from_db()
    assert message.done_at is not None
    assert outbox_relay(now=sent_at + timedelta(hours=1)) == 0  # done: never again


@pytest.mark.parametrize(
    ("after", "again"),
    [
        (timedelta(minutes=5) - timedelta(seconds=1), False),
        (timedelta(minutes=5), True),  # REPUBLISH_AFTER
        (timedelta(minutes=5) + timedelta(seconds=1), True),
    ],
)
def test_a_message_published_but_not_done_is_published_again(monkeypatch, after, again):
    monkeypatch.setattr(app, "send_task", lambda name, **kw: None)
    with transaction.atomic():
        message = outbox_put("dutylaw.tasks.worker_heartbeat")
    start = timezone.now()
    outbox_relay(now=start)  # published; then Redis restarts empty, the task never runs
    assert outbox_relay(now=start + after) == (1 if again else 0)
    message.refresh_from_db()
    assert message.attempts == (2 if again else 1) and message.done_at is None


def test_auto_assignment_lost_with_redis_still_happens(monkeypatch, office, staff, procuratorate):
    """The worker is down; ten notices with automatic assignment; Redis restarts
    without its data; the worker comes back: every case is assigned, once."""
    from cases.models import Assignment
    from tests.factories import LawyerFactory
    from triage.services import policy_update

    LawyerFactory.create_batch(3, office=office)
    policy_update(
        office=office, acting_user=staff, expected_version=1, values={"auto_assign": True}
    )
    lost = []
    monkeypatch.setattr(app, "send_task", lambda name, **kw: lost.append(name))
    cases = [make_case(procuratorate=procuratorate) for _ in range(10)]
    start = timezone.now()
    assert outbox_relay(now=start) == 10 and len(lost) == 10  # published, then lost
    assert not Assignment.objects.filter(case__in=cases).exists()
    monkeypatch.setattr(  # the worker is back: what is published runs
        app,
        "send_task",
        lambda name, **kw: app.tasks[name].apply(args=kw["args"], kwargs=kw["kwargs"]),
    )
    assert outbox_relay(now=start + timedelta(minutes=1)) == 0  # not yet due again
    assert outbox_relay(now=start + timedelta(minutes=6)) == 10
    assert Assignment.objects.filter(case__in=cases).count() == 10
    auto = OutboxMessage.objects.filter(task="triage.tasks.auto_assign")
    assert auto.count() == 10 and not auto.filter(done_at__isnull=True).exists()
    ids = list(auto.values_list("pk", flat=True))
    assert outbox_relay(ids=ids, now=start + timedelta(hours=1)) == 0  # done: never again


def test_publishing_to_a_broker_that_is_down_does_not_hold_up_the_request(monkeypatch):
    import time

    from celery import Celery

    down = Celery("down", broker="redis://127.0.0.1:1/0")  # nothing listens there
    down.config_from_object("django.conf:settings", namespace="CELERY")
    down.conf.broker_url = "redis://127.0.0.1:1/0"
    monkeypatch.setattr("triage.outbox.app", down)
    with transaction.atomic():
        message = outbox_put("dutylaw.tasks.worker_heartbeat")
    started = time.monotonic()
    assert outbox_relay(ids=[message.pk]) == 0  # what runs after the request's commit
    assert time.monotonic() - started < 1  # it took 6 s with kombu's default retries
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1  # the beat relay will publish it


def test_outbox_publishes_to_the_real_broker():
    with transaction.atomic():
        outbox_put("dutylaw.tasks.worker_heartbeat")
    assert outbox_relay() == 1
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert OutboxMessage.objects.filter(done_at__isnull=True).exists()  # until a worker runs it


class Receiver(BaseHTTPRequestHandler):
    """Fails the first request with 503, then accepts; keeps what it got."""

    received: list = []
    fail_first = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((self.headers, body))  # case-insensitive lookups
        status = 503 if Receiver.fail_first and len(Receiver.received) == 1 else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/dutylaw"
    server.shutdown()


def test_callback_fails_then_succeeds_with_a_valid_signature(
    receiver, procuratorate, api_client_pair
):
    client, _token = api_client_pair
    client.callback_url = receiver
    client.save()
    case = make_case(procuratorate=procuratorate)
    with transaction.atomic():
        callbacks_enqueue(case=case, event="assigned")
    now = timezone.now()
    deliveries_send(now=now)
    delivery = CallbackDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status == 503
    wait = delivery.next_attempt_at - now
    assert timedelta(seconds=23) <= wait <= timedelta(seconds=37)  # 30 s with jitter
    deliveries_send(now=now + timedelta(seconds=10))  # not due yet
    assert len(Receiver.received) == 1
    deliveries_send(now=now + timedelta(minutes=1))
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    headers, body = Receiver.received[-1]
    expected = (
        "sha256=" + hmac.new(client.callback_secret.encode(), body, hashlib.sha256).hexdigest()
    )
    assert headers["X-DutyLaw-Signature"] == expected
    assert json.loads(body)["external_ref"] == case.external_ref


def test_callback_gives_up_after_24_hours_and_can_be_redelivered(procuratorate, api_client_pair):
    client, _token = api_client_pair
    client.callback_url = "http://127.0.0.1:9/nothing-listens-here"
    client.save()
    case = make_case(procuratorate=procuratorate)
    with transaction.atomic():
        callbacks_enqueue(case=case, event="assigned")
    delivery = CallbackDelivery.objects.get()
    deliveries_send(now=delivery.created_at + timedelta(hours=25))
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_error
    delivery_retry(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == "pending"
