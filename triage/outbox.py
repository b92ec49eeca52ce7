"""The transactional outbox: tasks are written as rows with the change that
calls for them and published to Redis after commit. If Redis is down the rows
wait; the beat relay publishes them when it is back."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from dutylaw.celery import app
from triage.models import OutboxMessage

logger = logging.getLogger(__name__)
RELAY_BATCH = 200


def outbox_put(task: str, *args) -> OutboxMessage:
    """Queue ``task(*args)``; must run inside the transaction of the change."""
    message = OutboxMessage.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: outbox_relay(ids=[message.pk]))
    return message


def outbox_relay(*, ids: list[int] | None = None, batch: int = RELAY_BATCH) -> int:
    """Publish unsent messages (claimed with SKIP LOCKED, so relays running
    side by side never publish one twice). Returns how many were published."""
    published = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True
        )
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        for message in pending.order_by("created_at")[:batch]:
            try:
                app.send_task(message.task, args=message.args, retry=False)
            except (OperationalError, OSError) as exc:
                logger.warning("Outbox: broker unavailable (%s); will retry", type(exc).__name__)
                OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
                break
            OutboxMessage.objects.filter(pk=message.pk).update(
                sent_at=timezone.now(), attempts=message.attempts + 1
            )
            published += 1
    return published
