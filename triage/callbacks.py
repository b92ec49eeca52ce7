"""Callbacks to procuratorates: the case JSON POSTed to the client's URL,
signed with HMAC-SHA256, retried with exponential backoff and jitter for up to
24 hours, then marked failed and shown to staff."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import ApiClient, Case
from triage.models import CallbackDelivery, DeliveryStatus
from triage.outbox import outbox_put

GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
TIMEOUT_SECONDS = 10


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _case_json(case: Case) -> str:
    """The contract's case JSON (the same shape the API answers with)."""
    from cases.api.serializers import CaseOutSerializer

    fresh = Case.objects.get(pk=case.pk)
    return json.dumps(CaseOutSerializer(fresh).data, ensure_ascii=False, sort_keys=True)


def callbacks_enqueue(*, case: Case, event: str) -> list[CallbackDelivery]:
    """One delivery per client of the case's procuratorate that has a callback
    URL; written with the change and sent after commit."""
    clients = ApiClient.objects.filter(
        procuratorate_id=case.procuratorate_id, revoked_at__isnull=True
    ).exclude(callback_url="")
    deliveries = []
    for client in clients:
        body = _case_json(case)
        deliveries.append(
            CallbackDelivery.objects.create(
                client=client, case=case, event=event, body=body, next_attempt_at=timezone.now()
            )
        )
    if deliveries:
        outbox_put("triage.tasks.deliver_callbacks")
    return deliveries


def _backoff(attempts: int) -> timedelta:
    wait = min(FIRST_RETRY * (2 ** (attempts - 1)), LONGEST_WAIT)
    return wait * random.uniform(0.8, 1.2)  # jitter, so retries do not come in waves


def _post(delivery: CallbackDelivery) -> tuple[int | None, str]:
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the client's own, http(s) only
        delivery.client.callback_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-DutyLaw-Signature": signature(delivery.client.callback_secret, body),
            "X-DutyLaw-Event": delivery.event,
            "X-DutyLaw-Delivery": str(delivery.pk),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, type(exc).__name__


def deliveries_send(*, now: datetime | None = None, batch: int = 50) -> int:
    """Attempt the deliveries that are due. Each row is claimed with SKIP
    LOCKED, so two workers never post the same delivery at once."""
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        due = list(
            CallbackDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_related("client")
            .order_by("next_attempt_at")[:batch]
        )
        for delivery in due:
            status, error = _post(delivery)
            delivery.attempts += 1
            delivery.last_status = status
            delivery.last_error = error
            if status is not None and 200 <= status < 300:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.delivered_at = now
                delivery.next_attempt_at = None
            elif now - delivery.created_at >= GIVE_UP_AFTER:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = now + _backoff(delivery.attempts)
            delivery.save()
            done += 1
    return done


def delivery_retry(*, delivery: CallbackDelivery, now: datetime | None = None) -> CallbackDelivery:
    """Staff redeliver a failed (or pending) delivery now."""
    now = now or timezone.now()
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now
    delivery.created_at = now  # a fresh 24-hour window
    delivery.save(update_fields=["status", "next_attempt_at", "created_at", "updated_at"])
    with transaction.atomic():
        outbox_put("triage.tasks.deliver_callbacks")
    return delivery
