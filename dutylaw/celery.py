"""The Celery app. Settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutylaw.settings")

# DjangoTask gives every task `delay_on_commit`, so a task that reads a row is only
# queued once the transaction that wrote the row has committed.
app = Celery("dutylaw", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
