"""Telling people things: an inbox row now, e-mail and SMS copies through the
outbox (so they go out once the transaction commits, even after an outage)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone, translation

from lawyers.models import User
from triage.models import Notification
from triage.outbox import outbox_put


def in_language_of(user: User):
    """Write a message for ``user`` in the language they read messages in."""
    return translation.override(user.language)


def notification_send(*, user: User, title: str, body: str = "", case=None) -> Notification:
    notification = Notification.objects.create(user=user, title=title, body=body, case=case)
    outbox_put("triage.tasks.send_notification_copies", notification.pk)
    return notification


def notifications_send_many(items: list[tuple]) -> list[Notification]:
    """Many inbox rows at once, (user, title, body, case) each, with one outbox
    message for their e-mail and SMS copies."""
    if not items:
        return []
    created = Notification.objects.bulk_create(
        [Notification(user=u, title=t, body=b, case=c) for u, t, b, c in items]
    )
    outbox_put("triage.tasks.send_notification_copies_many", [n.pk for n in created])
    return created


def notification_copies_send(*, notification_id: int) -> None:
    from dutylaw.notify import notify_user

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is not None:
        notify_user(user=notification.user, subject=notification.title, body=notification.body)


def inbox(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("case")


def inbox_mark_read(*, user: User, ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
