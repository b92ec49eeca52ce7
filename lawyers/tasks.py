"""Roster tasks: thin, idempotent, take ids."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from lawyers.rosters import roster_generate, shift_reminders_send


@shared_task(name="lawyers.tasks.generate_roster", ignore_result=True)
def generate_roster(roster_id: int) -> None:
    """Solve a roster marked as generating; a second run finds nothing to do."""
    roster_generate(roster_id=roster_id)


@shared_task(name="lawyers.tasks.send_shift_reminders", ignore_result=True)
def send_shift_reminders() -> None:
    """Remind lawyers of tomorrow's shifts; safe to run any number of times."""
    shift_reminders_send(day=timezone.localdate() + timedelta(days=1))
