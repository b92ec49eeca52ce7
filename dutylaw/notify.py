"""Telling a person something: e-mail when they have an address, and the SMS
backend (whose default writes to the log, never the message body)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils.module_loading import import_string

from dutylaw.env import env_str

logger = logging.getLogger(__name__)
SMS_BACKEND = env_str("SMS_BACKEND", "dutylaw.notify.LogSmsBackend")


class LogSmsBackend:
    """Default SMS backend: records that a message would be sent. The body and
    the number stay out of the log (they can carry personal data)."""

    def send(self, *, phone: str, body: str) -> None:
        logger.info("SMS queued (log backend): %d characters", len(body))


def notify_user(*, user, subject: str, body: str) -> None:
    if user.email:
        send_mail(subject, body, None, [user.email], fail_silently=True)
    phone = getattr(getattr(user, "lawyer", None), "phone", "")
    if phone:
        import_string(SMS_BACKEND)().send(phone=phone, body=body)
