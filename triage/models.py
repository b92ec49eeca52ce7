"""Office triage policy (versioned) and the triage decisions made with it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext
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
    auto_assign = models.BooleanField(
        _("assign automatically"),
        default=False,
        help_text=_("Otherwise staff confirm each assignment on the assignment board."),
    )
    daily_case_cap = models.PositiveSmallIntegerField(
        _("most new cases a lawyer takes a day"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    diversion_hours = models.PositiveSmallIntegerField(
        _("hours to hand an escalated case to appointed counsel"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
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
        db_index=False,  # led by decision_case_idx
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


# --- Assignment policy, escalation, deadlines, alerts, inbox, outbox, callbacks ---------


class EscalationReason(models.TextChoices):
    CONTRADICTORY_EVIDENCE = "contradictory_evidence", _("Contradictory evidence")
    DISPUTED_LAW = "disputed_law", _("Disputed point of law")
    OTHER = "other", _("Other")


class Escalation(models.Model):
    """A duty lawyer's finding that a case needs appointed counsel (dynamic
    diversion); the case must then be handed over within the policy's hours."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    lawyer = models.ForeignKey(
        "lawyers.Lawyer",
        verbose_name=_("escalated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=30, choices=EscalationReason.choices)
    text = models.TextField(_("explanation"))
    created_at = models.DateTimeField(_("escalated at"))

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} ({self.get_reason_display()})"


class DeadlineKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Lawyer to be assigned")
    MANDATORY_APPOINTMENT = "mandatory_appointment", _("Mandatory defence: counsel appointed")
    DIVERSION = "diversion", _("Escalated: appointed counsel to take over")
    NEEDED_BY = "needed_by", _("Lawyer needed by the procuratorate")
    PLEA_SIGNING = "plea_signing", _("Plea signing")
    HEARING = "hearing", _("Hearing")
    PROSECUTION_REVIEW = "prosecution_review", _("Prosecution review time limit")


class DeadlineState(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


class Deadline(TimeStampedModel):
    """A time limit on a case, as a row: services open and close it when things
    happen; the beat scan reminds and escalates. ``next_check_at`` is the next
    moment the scan has anything to do for it (a reminder point or the due time)."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        db_index=False,  # led by deadline_case_idx
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    starts_at = models.DateTimeField(_("from"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    next_check_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The rule behind the time limit, as its English source text and parameters,
    # so that each reader sees it in their own language (``basis_text``).
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    basis_params = models.JSONField(
        _("basis parameters"), default=dict, db_default=Value({}, models.JSONField()), blank=True
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(state="open"), name="deadline_one_open_kind"
            ),
            models.CheckConstraint(
                name="deadline_due_after_start", condition=Q(due_at__gte=models.F("starts_at"))
            ),
        ]
        indexes = [
            # The beat scan: open deadlines with something due, oldest first.
            models.Index(
                fields=["next_check_at"], condition=Q(state="open"), name="deadline_scan_idx"
            ),
            # The SLA board and the case page.
            models.Index(fields=["case", "state"], name="deadline_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def basis_text(self) -> str:
        """The basis in the active language. Rows stored before bases were kept
        as source text hold translated text, which is shown as it is."""
        if not self.basis:
            return ""
        text = gettext(self.basis)
        if not self.basis_params:
            return text
        try:
            return text % self.basis_params
        except (KeyError, TypeError, ValueError):
            return text


class DeadlineAlert(models.Model):
    """A reminder or breach alert sent for a deadline to one person. Unique, so
    it is sent exactly once however many scans see it."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="alerts")
    point = models.PositiveSmallIntegerField(help_text="percent of the time; 100 = breach")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "point", "user"], name="deadline_alert_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deadline} {self.point}%"


class Notification(models.Model):
    """An in-app message (the inbox); e-mail and SMS copies go through the outbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # The inbox: a user's notifications, newest first.
            models.Index(fields=["user", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """A Celery task to run, written in the same transaction as the change
    that calls for it; published to Redis after commit and by the beat relay.
    It is done when the task has run to the end (``done_at``), not when it was
    published: a message published but not done after a while (Redis lost it,
    a worker died) is published again, so an outage delays work but never
    loses it. Tasks are idempotent, so running one twice is harmless."""

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("last published"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # The relay: messages not done yet, oldest first.
            models.Index(
                fields=["created_at"], condition=Q(done_at__isnull=True), name="outbox_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}{self.args}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting delivery")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class CallbackDelivery(TimeStampedModel):
    """One POST of a case to a procuratorate's callback URL, retried with
    backoff and jitter until acknowledged (2xx), for up to 24 hours."""

    client = models.ForeignKey(
        "cases.ApiClient",
        verbose_name=_("API client"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event"), max_length=30)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("callback delivery")
        verbose_name_plural = _("callback deliveries")
        ordering = ["-created_at"]
        indexes = [
            # The delivery scan: pending deliveries whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.event} {self.get_status_display()}"


class AdverseInterest(models.Model):
    """A person a lawyer has acted against (or for an opposing party), so the
    lawyer is never assigned to help them. Only a hash of the resident ID
    number is kept: the register can match, but not reveal, who it is."""

    lawyer = models.ForeignKey(
        "lawyers.Lawyer",
        verbose_name=_("lawyer"),
        on_delete=models.CASCADE,
        related_name="adverse_interests",
    )
    id_number_hash = models.CharField(
        _("resident ID number (hashed)"), max_length=64, editable=False
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adverse interest")
        verbose_name_plural = _("adverse interests")
        constraints = [
            models.UniqueConstraint(
                fields=["lawyer", "id_number_hash"], name="adverse_interest_once"
            ),
        ]
        indexes = [
            # Candidate ranking: lawyers in conflict with one accused person.
            models.Index(fields=["id_number_hash"], name="adverse_interest_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} ({self.note or self.id_number_hash[:8]})"
