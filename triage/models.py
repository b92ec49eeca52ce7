"""Office triage policy (versioned) and the triage decisions made with it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dutylaw.models import TimeStampedModel


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class TriagePolicy(TimeStampedModel):
    """An office's triage thresholds and notice rule, one row per version.

    Versions are never edited: a change is saved as the next version, so each
    decision can be explained with the exact policy it was made under.
    """

    office = models.ForeignKey(
        "lawyers.LegalAidOffice",
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="triage_policies",
    )
    version = models.PositiveIntegerField(_("version"))
    sentence_threshold_months = models.PositiveSmallIntegerField(
        _("duty-lawyer sentence limit (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
        help_text=_("A possible sentence above this goes to appointed counsel."),
    )
    max_charges = models.PositiveSmallIntegerField(
        _("most charges for a duty lawyer"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    file_volumes_threshold = models.PositiveIntegerField(
        _("file volumes limit"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("More file volumes than this go to appointed counsel."),
    )
    co_accused_to_counsel = models.BooleanField(
        _("cases with co-accused go to appointed counsel"), default=True
    )
    notice_days_fast_track = models.PositiveSmallIntegerField(
        _("notice for fast-track cases (days)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    notice_days_summary = models.PositiveSmallIntegerField(
        _("notice for summary cases (days)"),
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    notice_days_ordinary = models.PositiveSmallIntegerField(
        _("notice for ordinary cases (days)"),
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    notice_day_count = models.CharField(
        _("count notice in"), max_length=10, choices=DayCount.choices, default=DayCount.CALENDAR
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("triage policy")
        verbose_name_plural = _("triage policies")
        ordering = ["office", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "version"], name="policy_version_unique"),
            models.CheckConstraint(
                name="policy_thresholds_positive",
                condition=Q(sentence_threshold_months__gte=1)
                & Q(max_charges__gte=1)
                & Q(file_volumes_threshold__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} v{self.version}"

    def notice_days_for(self, procedure: str) -> int:
        return {
            "fast_track": self.notice_days_fast_track,
            "summary": self.notice_days_summary,
        }.get(procedure, self.notice_days_ordinary)


class DecisionKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    OVERRIDE = "override", _("Staff override")


class TriageDecision(models.Model):
    """A tier decision for a case: which rules fired under which policy version,
    or a staff override with its written reason. The newest row is current."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="triage_decisions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    tier = models.CharField(
        _("tier"),
        max_length=20,
        choices=[("duty_lawyer", _("Duty lawyer")), ("appointed_counsel", _("Appointed counsel"))],
    )
    mandatory_defence = models.BooleanField(_("mandatory defence"), default=False)
    # [{"rule": code, "params": {...}, "detail_zh": "...", "detail_en": "..."}]
    reasons = models.JSONField(_("reasons"), default=list)
    policy = models.ForeignKey(
        TriagePolicy, verbose_name=_("policy version"), on_delete=models.PROTECT
    )
    override_reason = models.TextField(_("reason for the change"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("triage decision")
        verbose_name_plural = _("triage decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="decision_override_has_reason_and_author",
                condition=~Q(kind="override")
                | (~Q(override_reason="") & Q(decided_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="decision_mandatory_is_appointed",
                condition=Q(mandatory_defence=False) | Q(tier="appointed_counsel"),
            ),
        ]
        indexes = [
            # The case's current decision: newest first per case.
            models.Index(fields=["case", "-decided_at"], name="decision_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.tier}"
