"""The transactional outbox: tasks are written as rows with the change that
calls for them and published to Redis after commit. A row is done only when its
task has run to the end (``AuditedTask`` marks it); the beat relay publishes
what was never published, and again what was published but is still not done
after ``REPUBLISH_AFTER`` (Redis restarted empty, a worker died mid-task).
Delivery is at least once; every task is idempotent."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from dutylaw.audited_task import OUTBOX_KWARG
from dutylaw.celery import app
from triage.models import OutboxMessage

logger = logging.getLogger(__name__)
RELAY_BATCH = 200
REPUBLISH_AFTER = timedelta(minutes=5)  # longer than any task takes
MAX_ATTEMPTS = 20  # then the message waits for an administrator (admin: outbox)


def outbox_put(task: str, *args) -> OutboxMessage:
    """Queue ``task(*args)``; must run inside the transaction of the change."""
    message = OutboxMessage.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: outbox_relay(ids=[message.pk]))
    return message


def outbox_relay(
    *, ids: list[int] | None = None, batch: int = RELAY_BATCH, now: datetime | None = None
) -> int:
    """Publish what is due: never published, or published more than
    ``REPUBLISH_AFTER`` ago and still not done. Rows are claimed with SKIP
    LOCKED, so relays running side by side never publish one at once.
    Returns how many were published."""
    now = now or timezone.now()
    published = 0
    with transaction.atomic():
        due = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            Q(sent_at__isnull=True) | Q(sent_at__lte=now - REPUBLISH_AFTER),
            done_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
        )
        if ids is not None:
            due = due.filter(pk__in=ids)
        for message in due.order_by("created_at")[:batch]:
            try:
                app.send_task(
                    message.task,
                    args=message.args,
                    kwargs={OUTBOX_KWARG: message.pk},
                    retry=False,
                )
            except (OperationalError, OSError) as exc:
                logger.warning("Outbox: broker unavailable (%s); will retry", type(exc).__name__)
                OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
                break
            if message.sent_at is not None:
                logger.warning(
                    "Outbox: %s not done since %s; published again", message, message.sent_at
                )
            OutboxMessage.objects.filter(pk=message.pk).update(
                sent_at=now, attempts=message.attempts + 1
            )
            published += 1
    return published


def outbox_done(*, message_id: int, now: datetime | None = None) -> None:
    """The task of this message has run to the end."""
    OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).update(
        done_at=now or timezone.now()
    )
