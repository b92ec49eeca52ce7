"""The Celery app. Settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutylaw.settings")

# Every task is an AuditedTask (dutylaw/audited_task.py): a DjangoTask, whose
# `delay_on_commit` queues a task only once the transaction that wrote its rows
# has committed, that records its changes as the system's, with its name.
app = Celery("dutylaw", task_cls="dutylaw.audited_task:AuditedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
