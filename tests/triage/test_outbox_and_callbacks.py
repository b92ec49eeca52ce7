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

from dutylaw.celery import app
from tests.factories import make_case
from triage.callbacks import callbacks_enqueue, deliveries_send, delivery_retry
from triage.models import CallbackDelivery, OutboxMessage
from triage.outbox import outbox_put, outbox_relay

pytestmark = pytest.mark.django_db


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


def test_outbox_publishes_to_the_real_broker():
    with transaction.atomic():
        outbox_put("dutylaw.tasks.worker_heartbeat")
    assert outbox_relay() == 1
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


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
