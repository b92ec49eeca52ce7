"""Housekeeping tasks: thin wrappers, idempotent, safe to run twice."""

from celery import shared_task
from django.core import management

from dutylaw.services import heartbeat_record


@shared_task(name="dutylaw.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Stamp the heartbeat row; an upsert, so duplicates are harmless."""
    heartbeat_record(name="worker")


@shared_task(name="dutylaw.tasks.purge_expired_sessions", ignore_result=True)
def purge_expired_sessions() -> None:
    management.call_command("clearsessions")
