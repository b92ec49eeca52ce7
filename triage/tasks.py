"""Triage tasks: thin, idempotent, take ids."""

from __future__ import annotations

from celery import shared_task

from triage.assignment import case_auto_assign
from triage.callbacks import deliveries_send
from triage.deadlines import deadlines_scan
from triage.inbox import notification_copies_send
from triage.outbox import outbox_relay


@shared_task(name="triage.tasks.scan_deadlines", ignore_result=True)
def scan_deadlines() -> None:
    """Beat, every minute: reminders and breaches, each once."""
    while deadlines_scan():
        pass


@shared_task(name="triage.tasks.relay_outbox", ignore_result=True)
def relay_outbox() -> None:
    """Beat, every minute: publish what waited for Redis."""
    outbox_relay()


@shared_task(name="triage.tasks.deliver_callbacks", ignore_result=True)
def deliver_callbacks() -> None:
    deliveries_send()


@shared_task(name="triage.tasks.send_notification_copies", ignore_result=True)
def send_notification_copies(notification_id: int) -> None:
    notification_copies_send(notification_id=notification_id)


@shared_task(name="triage.tasks.auto_assign", ignore_result=True)
def auto_assign(case_id: str) -> None:
    case_auto_assign(case_id=case_id)


@shared_task(name="triage.tasks.send_notification_copies_many", ignore_result=True)
def send_notification_copies_many(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        notification_copies_send(notification_id=notification_id)
