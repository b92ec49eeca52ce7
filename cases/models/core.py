"""Cases as procuratorates notify them: the accused, the charges, who is
assigned, who looked at the accused's identity, and the API clients."""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from dutylaw.models import TimeStampedModel

# --- Charge catalogue -------------------------------------------------------


class Offence(TimeStampedModel):
    """An offence of the PRC Criminal Law (罪名) as in force from ``effective_from``.

    An amendment is entered as a new row with the same code and a later
    ``effective_from``; cases keep pointing at the version they were charged under.
    """

    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. CL133-1, CL303.2"))
    article = models.CharField(_("article"), max_length=20)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="offence_code_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class OffenceTier(models.Model):
    """A sentencing tier (量刑档次) of an offence, numbered from 1 for the lightest."""

    offence = models.ForeignKey(
        Offence, verbose_name=_("offence"), on_delete=models.CASCADE, related_name="tiers"
    )
    tier = models.PositiveSmallIntegerField(_("tier"))
    min_months = models.PositiveSmallIntegerField(_("minimum months"))
    max_months = models.PositiveSmallIntegerField(
        _("maximum months"),
        null=True,
        blank=True,
        help_text=_("Longest fixed term; empty where the tier reaches life or death."),
    )
    life = models.BooleanField(_("life imprisonment"), default=False)
    death = models.BooleanField(_("death penalty"), default=False)
    description_zh = models.CharField(_("description (Chinese)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sentencing tier")
        verbose_name_plural = _("sentencing tiers")
        ordering = ["offence", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["offence", "tier"], name="offence_tier_unique"),
            models.CheckConstraint(name="offence_tier_from_one", condition=Q(tier__gte=1)),
            models.CheckConstraint(
                name="offence_tier_min_le_max",
                condition=Q(max_months__isnull=True) | Q(min_months__lte=F("max_months")),
            ),
            models.CheckConstraint(
                name="offence_tier_open_iff_life_or_death",
                condition=(Q(max_months__isnull=True) & (Q(life=True) | Q(death=True)))
                | (Q(max_months__isnull=False) & Q(life=False, death=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offence.code} #{self.tier}"


# --- Cases ------------------------------------------------------------------


class Procedure(models.TextChoices):
    FAST_TRACK = "fast_track", _("Fast-track")
    SUMMARY = "summary", _("Summary")
    ORDINARY = "ordinary", _("Ordinary")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION_REVIEW = "prosecution_review", _("Prosecution review")
    TRIAL = "trial", _("Trial")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Escalated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.ASSIGNED, CaseStatus.ESCALATED)


class Tier(models.TextChoices):
    DUTY_LAWYER = "duty_lawyer", _("Duty lawyer")
    APPOINTED_COUNSEL = "appointed_counsel", _("Appointed counsel")


class CaseFlag(models.TextChoices):
    ORGANIZED_CRIME = "organized_crime", _("Organised crime")
    COMPLEX_EVIDENCE = "complex_evidence", _("Complex evidence")
    FOREIGN_NATIONAL = "foreign_national", _("Foreign national")
    HIGH_PROFILE = "high_profile", _("High profile")


class CustodyMeasure(models.TextChoices):
    DETAINED = "detained", _("Detained")
    ARRESTED = "arrested", _("Arrested")
    BAIL = "bail", _("Bail pending trial")
    RESIDENTIAL_SURVEILLANCE = "residential_surveillance", _("Residential surveillance")
    NONE = "none", _("No compulsory measure")


@pghistory.track()
class Case(TimeStampedModel):
    """A case notified by a procuratorate for one accused person without counsel.

    Co-accused are separate cases linked by ``co_accused_refs``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey(
        "lawyers.LegalAidOffice",
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # led by case_office_status_idx
    )
    procuratorate = models.ForeignKey(
        "lawyers.Procuratorate",
        verbose_name=_("procuratorate"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # led by case_external_ref_unique and case_proc_created_idx
    )
    external_ref = models.CharField(_("procuratorate reference"), max_length=100)
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    plea = models.BooleanField(_("pleads guilty"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, blank=True)
    mandatory_defence = models.BooleanField(_("mandatory defence"), default=False)
    possible_sentence_max_months = models.PositiveSmallIntegerField(
        _("possible sentence (months)"), null=True, blank=True
    )
    file_volumes = models.PositiveIntegerField(_("file volumes"), default=0)
    flags = ArrayField(
        models.CharField(max_length=30, choices=CaseFlag.choices),
        verbose_name=_("flags"),
        default=list,
        blank=True,
    )
    co_accused_refs = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("co-accused references"),
        default=list,
        blank=True,
    )
    custody_measure = models.CharField(
        _("custody measure"), max_length=30, choices=CustodyMeasure.choices, blank=True
    )
    detention_centre = models.ForeignKey(
        "lawyers.DetentionCentre",
        verbose_name=_("detention centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    needed_by = models.DateTimeField(_("lawyer needed by"), null=True, blank=True)
    notice_sufficient = models.BooleanField(_("notice sufficient"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_court = models.ForeignKey(
        "lawyers.Court",
        verbose_name=_("hearing court"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    plea_signing_at = models.DateTimeField(_("plea signing at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # SHA-256 of the notifying request's canonical JSON: a repeat with the same
    # body is the same notice (200), a different body is a conflict (409).
    intake_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["procuratorate", "external_ref"], name="case_external_ref_unique"
            ),
            models.CheckConstraint(
                name="case_triaged_has_tier",
                condition=Q(status="new") | ~Q(tier=""),
            ),
            models.CheckConstraint(
                name="case_mandatory_defence_is_appointed",
                condition=Q(mandatory_defence=False) | Q(tier="appointed_counsel"),
            ),
        ]
        indexes = [
            # Staff lists and home page: an office's cases by status, newest first.
            models.Index(fields=["office", "status", "-created_at"], name="case_office_status_idx"),
            # API list: a procuratorate's cases, newest first (cursor pagination).
            models.Index(fields=["procuratorate", "-created_at"], name="case_proc_created_idx"),
        ]

    def __str__(self) -> str:
        return self.external_ref

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @property
    def needed_by_passed(self) -> bool:
        return self.needed_by is not None and self.needed_by < timezone.now()


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


# The languages an accused person or a lawyer may speak, by code.
LANGUAGE_NAMES = {
    "zh": _("Chinese (Mandarin)"),
    "yue": _("Cantonese"),
    "bo": _("Tibetan"),
    "ug": _("Uyghur"),
    "mn": _("Mongolian"),
    "kk": _("Kazakh"),
    "ko": _("Korean"),
    "ii": _("Yi"),
    "za": _("Zhuang"),
    "en": _("English"),
    "csl": _("Chinese Sign Language"),
}


class Disability(models.TextChoices):
    VISUAL = "visual", _("Visual impairment")
    HEARING = "hearing", _("Hearing impairment")
    SPEECH = "speech", _("Speech impairment")
    INTELLECTUAL = "intellectual", _("Intellectual disability")
    MENTAL = "mental", _("Mental illness")


@pghistory.track()
class Accused(TimeStampedModel):
    """The suspect or accused person of a case.

    ``PII_FIELDS`` is the one list of personal data in the product: these are
    masked on every page until a user asks to see them with a reason, and every
    such view is written to ``PiiAccess``.
    """

    PII_FIELDS = ("name", "id_number", "birth_date")

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="accused"
    )
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True, default="zh")
    disabilities = ArrayField(
        models.CharField(max_length=20, choices=Disability.choices),
        verbose_name=_("disabilities"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("accused person")
        verbose_name_plural = _("accused persons")

    def __str__(self) -> str:
        return self.masked_name

    @property
    def language_label(self) -> str:
        return str(LANGUAGE_NAMES.get(self.language, self.language))

    @property
    def disability_labels(self) -> list[str]:
        return [str(Disability(d).label) for d in self.disabilities if d in Disability.values]

    @property
    def masked_name(self) -> str:
        """The surname and a star per further character: safe to show anywhere."""
        if not self.name:
            return ""
        return self.name[0] + "*" * (len(self.name) - 1)


@pghistory.track()
class CaseCharge(models.Model):
    """One charge on a case: an offence version and the tier the prosecutor cites."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="charges",
        db_index=False,  # led by case_charge_once_per_case
    )
    offence_tier = models.ForeignKey(
        OffenceTier, verbose_name=_("sentencing tier"), on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "offence_tier"], name="case_charge_once_per_case"
            ),
        ]

    def __str__(self) -> str:
        return str(self.offence_tier)


class AssignmentRole(models.TextChoices):
    DUTY_LAWYER = "duty_lawyer", _("Duty lawyer")
    APPOINTED_COUNSEL = "appointed_counsel", _("Appointed counsel")


@pghistory.track()
class Assignment(TimeStampedModel):
    """A lawyer's spell on a case. The history is every row; the current one is
    the row with no ``ended_at``, and the database allows one per case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assignments"
    )
    lawyer = models.ForeignKey(
        "lawyers.Lawyer",
        verbose_name=_("lawyer"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=500, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_open_per_case",
            ),
            models.CheckConstraint(
                name="assignment_ends_after_start",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
            ),
        ]
        indexes = [
            # A lawyer's current cases: the scoping join of cases_visible_to().
            models.Index(
                fields=["lawyer", "case"],
                condition=Q(ended_at__isnull=True),
                name="assignment_open_lawyer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} → {self.case}"


# --- Timeline ---------------------------------------------------------------


class TimelineKind(models.TextChoices):
    NOTIFIED = "notified", _("Notified by the procuratorate")
    TRIAGED = "triaged", _("Triaged")
    TRIAGE_OVERRIDDEN = "triage_overridden", _("Tier changed by staff")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    PLEA_SIGNING_SCHEDULED = "plea_signing_scheduled", _("Plea signing scheduled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class TimelineEntry(models.Model):
    """Something that happened to a case, in the words a person reads.

    The audit trail records every row change; the timeline records the events
    that matter to the people working the case.
    """

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="timeline",
        db_index=False,  # led by timeline_case_at_idx
    )
    kind = models.CharField(_("event"), max_length=30, choices=TimelineKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-at", "-id"]
        indexes = [
            # The case page's timeline, newest first.
            models.Index(fields=["case", "-at"], name="timeline_case_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


# --- Audit of PII views -----------------------------------------------------


class PiiAccess(models.Model):
    """One view of an accused person's identity: who, when, which case, why.

    Append-only: a database trigger refuses UPDATE and DELETE.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="pii_accesses",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="pii_accesses"
    )
    accessed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)
    fields = ArrayField(models.CharField(max_length=30), verbose_name=_("fields"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=10, default="web")

    class Meta:
        verbose_name = _("identity view")
        verbose_name_plural = _("identity views")
        ordering = ["-accessed_at"]
        indexes = [
            # Reviewers' audit page: views of one case, newest first.
            models.Index(fields=["case", "-accessed_at"], name="pii_access_case_idx"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="pii_access_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.case} {self.accessed_at:%Y-%m-%d %H:%M}"


# --- Procuratorate API clients ------------------------------------------------


class ApiClient(TimeStampedModel):
    """A procuratorate's system that calls the intake API.

    Only the SHA-256 hash of the token is stored; ``token_prefix`` lets staff
    tell tokens apart. Each client has a service user so the audit trail says
    which system changed what.
    """

    name = models.CharField(_("name"), max_length=100)
    procuratorate = models.ForeignKey(
        "lawyers.Procuratorate",
        verbose_name=_("procuratorate"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service user"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token prefix"), max_length=8, editable=False)
    callback_url = models.URLField(_("callback URL"), blank=True)
    callback_secret = models.CharField(_("callback secret"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"


# --- Guardian one-off grants, with direct foreign keys ------------------------


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A one-off grant on one case to one user (e.g. a student on a mentor's case)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case grant to a user")
        verbose_name_plural = _("case grants to users")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """A one-off grant on one case to a group (e.g. a reviewers' audit sample)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case grant to a group")
        verbose_name_plural = _("case grants to groups")


__all__ = [
    "LANGUAGE_NAMES",
    "OPEN_STATUSES",
    "Accused",
    "ApiClient",
    "Assignment",
    "AssignmentRole",
    "Case",
    "CaseCharge",
    "CaseFlag",
    "CaseGroupObjectPermission",
    "CaseStatus",
    "CaseUserObjectPermission",
    "CustodyMeasure",
    "Disability",
    "Gender",
    "Offence",
    "OffenceTier",
    "PiiAccess",
    "Procedure",
    "Stage",
    "Tier",
    "TimelineEntry",
    "TimelineKind",
]
