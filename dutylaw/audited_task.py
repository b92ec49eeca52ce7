"""The base class of every Celery task: its changes are the system's.

A change made in a request is recorded with the user and URL (pghistory's
middleware); a change made by a task (automatic assignment, the deadline
engine, callbacks, rosters) is recorded with the system user and the task's
name, so the audit trail says who (the system) and what (which task) did it.
A task published from the transactional outbox (``triage.outbox``) marks its
message done when it has run to the end.
"""

from __future__ import annotations

import pghistory
from celery.contrib.django.task import DjangoTask

SYSTEM_USERNAME = "system"
OUTBOX_KWARG = "_outbox_id"  # a published task's outbox row, taken off before it runs


def system_user_id() -> int:
    """The user that background tasks act as (created on first use; it cannot sign in)."""
    from lawyers.models import Role, User

    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "系统", "role": Role.SYSTEM, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user.pk


class AuditedTask(DjangoTask):
    """Runs as the system user, named in the audit context; a task published
    from the outbox marks its message done once it has run to the end."""

    def __call__(self, *args, **kwargs):
        outbox_id = kwargs.pop(OUTBOX_KWARG, None)
        with pghistory.context(user=system_user_id(), task=self.name):
            result = super().__call__(*args, **kwargs)
        if outbox_id is not None:
            from triage.outbox import outbox_done  # the outbox lives with triage for now

            outbox_done(message_id=outbox_id)
        return result
