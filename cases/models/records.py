"""What lawyers do for the accused, each act a record: who, when, how long, at
which stage. These records are what make legal help visible and checkable."""

from __future__ import annotations

from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.models.core import Case, Stage
from dutylaw.models import TimeStampedModel


class RecordKind(models.TextChoices):
    CONSULTATION = "consultation", _("Legal consultation")
    PROCEDURE_ADVICE = "procedure_advice", _("Procedure-choice advice")
    MEASURE_CHANGE = "measure_change", _("Application to change compulsory measures")
    CASE_OPINION = "case_opinion", _("Opinion on the case")
    FILE_REVIEW = "file_review", _("File review")
    MEETING = "meeting", _("Meeting")
    NEGOTIATION = "negotiation", _("Sentencing negotiation")
    PLEA_SIGNING = "plea_signing", _("Plea-agreement signing")
    RETRACTION = "retraction", _("Plea retraction")
    WRITTEN_OPINION = "written_opinion", _("Written legal opinion")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class Approval(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class MeasureResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


@pghistory.track()
class HelpRecord(TimeStampedModel):
    """One act of legal help. Kind-specific columns are empty for other kinds.

    A licensed lawyer's own record is signed when saved. A student assistant's
    is a draft until their mentor signs it; only signed records count in
    statistics and documents. Signed records never change (annotate instead).
    ``version`` makes concurrent edits of a draft fail cleanly.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="records"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RecordKind.choices)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    lawyer = models.ForeignKey(
        "lawyers.Lawyer",
        verbose_name=_("responsible lawyer"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    drafted_by = models.ForeignKey(
        "lawyers.Lawyer",
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafted_records",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    summary = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # File review (阅卷): reading only; excerpts need a permission on record.
    volumes_read = models.PositiveIntegerField(_("volumes read"), null=True, blank=True)
    pages_read = models.PositiveIntegerField(_("pages read"), null=True, blank=True)
    excerpts_taken = models.BooleanField(_("excerpts taken"), null=True, blank=True)
    excerpt_permission = models.CharField(_("excerpts permitted by"), max_length=200, blank=True)
    # Meeting (会见).
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    approval = models.CharField(_("approval"), max_length=10, choices=Approval.choices, blank=True)
    approval_by = models.CharField(_("approved or refused by"), max_length=100, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    interpreter = models.CharField(_("interpreter"), max_length=100, blank=True)
    # Application to change compulsory measures.
    measure_result = models.CharField(
        _("result"), max_length=10, choices=MeasureResult.choices, blank=True
    )
    # Sentencing negotiation (量刑协商).
    prosecutor_proposal = models.TextField(_("prosecutor's proposal"), blank=True)
    lawyer_opinion = models.TextField(_("lawyer's opinion"), blank=True)
    agreed_recommendation = models.TextField(_("agreed recommendation"), blank=True)
    took_part = models.BooleanField(_("lawyer took part"), null=True, blank=True)
    # Plea-agreement signing (认罪认罚具结书).
    lawyer_present = models.BooleanField(_("lawyer present"), null=True, blank=True)
    rights_explained = models.BooleanField(_("rights explained"), null=True, blank=True)
    consequences_explained = models.BooleanField(
        _("legal consequences explained"), null=True, blank=True
    )
    procedure_explained = models.BooleanField(_("procedure explained"), null=True, blank=True)
    accused_understood = models.BooleanField(_("accused understood"), null=True, blank=True)
    no_pressure_seen = models.BooleanField(_("no pressure seen"), null=True, blank=True)
    objections = models.TextField(_("objections (verbatim)"), blank=True)
    recording_ref = models.CharField(
        _("procuratorate's recording reference"), max_length=100, blank=True
    )
    # Retraction (反悔).
    retraction_reason = models.TextField(_("reason for retraction"), blank=True)

    class Meta:
        verbose_name = _("legal-help record")
        verbose_name_plural = _("legal-help records")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="record_ends_after_start", condition=Q(ended_at__gte=F("started_at"))
            ),
            models.CheckConstraint(
                name="record_at_most_a_day",
                condition=Q(ended_at__lte=F("started_at") + timedelta(days=1)),
            ),
            models.CheckConstraint(
                name="record_signed_has_signer",
                condition=Q(status="draft") | Q(signed_at__isnull=False, signed_by__isnull=False),
            ),
            models.CheckConstraint(
                name="record_excerpts_need_permission",
                condition=~Q(excerpts_taken=True) | ~Q(excerpt_permission=""),
            ),
        ]
        indexes = [
            # The case page's records, newest first.
            models.Index(fields=["case", "-started_at"], name="record_case_idx"),
            # A lawyer's own records (workbench, statistics).
            models.Index(fields=["lawyer", "-started_at"], name="record_lawyer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds() // 60)

    @property
    def is_signed(self) -> bool:
        return self.status == RecordStatus.SIGNED


class RecordAnnotation(models.Model):
    """A note added to a record after it was signed. Append-only."""

    record = models.ForeignKey(
        HelpRecord,
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="annotations",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("annotation"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["created_at"]
        triggers = [
            pgtrigger.Protect(
                name="annotation_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:30]}"


@pghistory.track()
class HandoverNote(TimeStampedModel):
    """What the next lawyer needs when the stage changes or the case moves:
    what was reviewed and agreed, so it is not done twice."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="handovers"
    )
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    from_lawyer = models.ForeignKey(
        "lawyers.Lawyer",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    reviewed = models.TextField(_("what was reviewed"), blank=True)
    agreed = models.TextField(_("what was agreed"), blank=True)
    open_points = models.TextField(_("open points for the next lawyer"), blank=True)
    summary = models.TextField(_("record summary"), blank=True, editable=False)

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} ← {self.from_lawyer}"


__all__ = [
    "Approval",
    "HandoverNote",
    "HelpRecord",
    "MeasureResult",
    "RecordAnnotation",
    "RecordKind",
    "RecordStatus",
]
