"""Shared base classes and the worker heartbeat."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StampField(models.DateTimeField):
    """``auto_now_add`` / ``auto_now`` as Django's, except that on insert a
    value the caller has set is kept: the rows of one notice carry the
    notice's one moment, and a case notified at ``at`` is stored as created
    then. Updates stamp the current time as usual. Migrations see a plain
    ``DateTimeField``."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if add and value is not None:
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class TimeStampedModel(models.Model):
    """Abstract base: every domain row knows when it was created and last changed."""

    created_at = StampField(_("created at"), auto_now_add=True, editable=False)
    updated_at = StampField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """Last time a periodic process proved it was alive (one row per process kind).

    Beat schedules ``worker_heartbeat``; a worker runs it and stamps the row, so a
    fresh row means both beat and at least one worker are running.
    """

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
