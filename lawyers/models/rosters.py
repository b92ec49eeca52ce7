"""Duty rosters: closures and leave, monthly rosters, shifts (assigned, open or
pinned, with sign-in), swaps, reminders and subsidy rates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from dutylaw.models import TimeStampedModel
from lawyers.models.core import Lawyer, LegalAidOffice, ShiftSlot, Workstation


def _days(start: str, end: str) -> Func:
    """The inclusive date range [start, end], for overlap constraints."""
    return Func(F(start), F(end), Value("[]"), function="daterange", output_field=DateRangeField())


class WorkstationClosure(TimeStampedModel):
    """Days a workstation is closed (renovation, a court recess...)."""

    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.CASCADE,
        related_name="closures",
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("workstation closure")
        verbose_name_plural = _("workstation closures")
        ordering = ["date_from"]
        constraints = [
            models.CheckConstraint(
                name="closure_range_ordered", condition=Q(date_to__gte=F("date_from"))
            ),
            ExclusionConstraint(
                name="closure_no_overlap",
                expressions=[
                    ("workstation", RangeOperators.EQUAL),
                    (_days("date_from", "date_to"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This closure overlaps another of the workstation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstation} {self.date_from}–{self.date_to}"


class Leave(TimeStampedModel):
    """Days a lawyer cannot serve."""

    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("lawyer"), on_delete=models.CASCADE, related_name="leaves"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["date_from"]
        constraints = [
            models.CheckConstraint(
                name="leave_range_ordered", condition=Q(date_to__gte=F("date_from"))
            ),
            ExclusionConstraint(
                name="leave_no_overlap",
                expressions=[
                    ("lawyer", RangeOperators.EQUAL),
                    (_days("date_from", "date_to"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This leave overlaps other leave of the lawyer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.date_from}–{self.date_to}"


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    GENERATING = "generating", _("Generating")
    PUBLISHED = "published", _("Published")


class Roster(TimeStampedModel):
    """One office's duty roster for one month. Staff generate a draft with the
    solver, edit and pin shifts by hand, and publish it. ``version`` guards
    against two people publishing or editing at once."""

    office = models.ForeignKey(
        LegalAidOffice,
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="rosters",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=12, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    # Solver figures: time, coverage, spread, objective.
    stats = models.JSONField(_("solver figures"), default=dict, blank=True)
    # Slots the solver could not cover, each with its reason.
    uncovered = models.JSONField(_("uncovered slots"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="roster_one_per_month"),
            models.CheckConstraint(name="roster_month_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.month:%Y-%m}"


class Shift(TimeStampedModel):
    """One seat at one workstation for one slot of one day. With no lawyer it
    is an open shift that an available lawyer can claim."""

    roster = models.ForeignKey(
        Roster,
        verbose_name=_("roster"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    lawyer = models.ForeignKey(
        Lawyer,
        verbose_name=_("lawyer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shifts",
    )
    date = models.DateField(_("date"))
    slot = models.CharField(_("slot"), max_length=5, choices=ShiftSlot.choices)
    seat = models.PositiveSmallIntegerField(_("seat"), default=0)
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Kept as it is when the solver runs again.")
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "slot", "workstation", "seat"]
        constraints = [
            # One place per lawyer per day: no double booking, and rest between shifts.
            models.UniqueConstraint(
                fields=["lawyer", "date"],
                condition=Q(lawyer__isnull=False),
                name="shift_lawyer_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["workstation", "date", "slot", "seat"], name="shift_seat_unique"
            ),
            models.CheckConstraint(
                name="shift_sign_out_after_in",
                condition=Q(signed_out_at__isnull=True)
                | Q(signed_in_at__isnull=False, signed_out_at__gte=F("signed_in_at")),
            ),
        ]
        indexes = [
            # "Who is on duty at workstation X today" and the calendar views.
            models.Index(fields=["workstation", "date"], name="shift_ws_date_idx"),
            # Open shifts lawyers can claim.
            models.Index(fields=["date"], condition=Q(lawyer__isnull=True), name="shift_open_idx"),
        ]

    def __str__(self) -> str:
        who = self.lawyer or _("open")
        return f"{who} {self.date} {self.get_slot_display()} @ {self.workstation}"

    @property
    def is_open(self) -> bool:
        return self.lawyer_id is None


class SwapStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    TAKEN = "taken", _("Taken, awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ShiftSwap(TimeStampedModel):
    """A lawyer offers a shift; another takes it; staff approve."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="swaps"
    )
    offered_by = models.ForeignKey(
        Lawyer, verbose_name=_("offered by"), on_delete=models.PROTECT, related_name="+"
    )
    taken_by = models.ForeignKey(
        Lawyer,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.OFFERED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift"],
                condition=Q(status__in=["offered", "taken"]),
                name="swap_one_pending_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} ({self.get_status_display()})"


class ShiftReminder(models.Model):
    """A reminder sent for a shift; unique, so it is sent once however often
    the scan runs."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="reminders")
    lawyer = models.ForeignKey(Lawyer, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, default="day_before")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "lawyer", "kind"], name="shift_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shift} {self.kind}"


class SubsidyRates(TimeStampedModel):
    """An office's subsidy rates (yuan) from a date on; the newest that has
    started applies."""

    office = models.ForeignKey(
        LegalAidOffice,
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="subsidy_rates",
    )
    effective_from = models.DateField(_("effective from"))
    shift_day = models.DecimalField(_("per shift day"), max_digits=8, decimal_places=2, default=150)
    case_simple = models.DecimalField(
        _("per simple case"), max_digits=8, decimal_places=2, default=200
    )
    case_complex = models.DecimalField(
        _("per complex case"), max_digits=8, decimal_places=2, default=500
    )
    trial_defence = models.DecimalField(
        _("per appointed trial defence"), max_digits=8, decimal_places=2, default=1200
    )

    class Meta:
        verbose_name = _("subsidy rates")
        verbose_name_plural = _("subsidy rates")
        ordering = ["office", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["office", "effective_from"], name="rates_once_a_day"),
            models.CheckConstraint(
                name="rates_not_negative",
                condition=Q(
                    shift_day__gte=0, case_simple__gte=0, case_complex__gte=0, trial_defence__gte=0
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.effective_from}"


__all__ = [
    "Leave",
    "Roster",
    "RosterStatus",
    "Shift",
    "ShiftReminder",
    "ShiftSwap",
    "SubsidyRates",
    "SwapStatus",
    "WorkstationClosure",
]
