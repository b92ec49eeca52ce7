"""People and places: users and their roles, legal-aid offices, the sites where
offices run workstations, lawyers and their shifts."""

from __future__ import annotations

import secrets

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dutylaw.models import TimeStampedModel


class Role(models.TextChoices):
    """What a user does in the product; drives navigation and query scoping."""

    STAFF = "staff", _("Office staff")
    LAWYER = "lawyer", _("Lawyer")
    REVIEWER = "reviewer", _("Bar-association reviewer")
    API_CLIENT = "api_client", _("Procuratorate API client")
    ADMIN = "admin", _("Administrator")
    SYSTEM = "system", _("System (background tasks)")


@pghistory.track(exclude=["password", "last_login", "language"])
class User(AbstractUser):
    """A person (or, for API clients, a service account) who uses DutyLaw.

    Lawyers also have a ``Lawyer`` profile; the kind of lawyer (social, public-post,
    mentor, student) lives there. Office staff belong to exactly one office.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    office = models.ForeignKey(
        "lawyers.LegalAidOffice",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    # Messages (inbox, e-mail, SMS) are written in this language, whoever
    # causes them; the language switch in the page header sets it.
    language = models.CharField(
        _("language for messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_staff_has_office",
                condition=~Q(role="staff") | Q(office__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class LegalAidOffice(TimeStampedModel):
    """A legal-aid centre (法律援助中心) that runs workstations and employs staff."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("legal-aid office")
        verbose_name_plural = _("legal-aid offices")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Site(TimeStampedModel):
    """Abstract base of the places where cases come from and lawyers serve."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Procuratorate(Site):
    """A people's procuratorate (检察院); notifies cases through the API.

    ``office`` is the legal-aid office that receives its notices.
    """

    office = models.ForeignKey(
        LegalAidOffice,
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="procuratorates",
    )

    class Meta(Site.Meta):
        verbose_name = _("procuratorate")
        verbose_name_plural = _("procuratorates")


class Court(Site):
    """A people's court (法院)."""

    class Meta(Site.Meta):
        verbose_name = _("court")
        verbose_name_plural = _("courts")


class DetentionCentre(Site):
    """A detention centre (看守所)."""

    class Meta(Site.Meta):
        verbose_name = _("detention centre")
        verbose_name_plural = _("detention centres")


class WorkstationKind(models.TextChoices):
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COURT = "court", _("Court")


class OpeningDays(models.TextChoices):
    WORKING_DAYS = "working_days", _("Official working days (holidays and 调休 respected)")
    WEEKDAYS = "weekdays", _("Monday to Friday")
    EVERY_DAY = "every_day", _("Every day")


class SlotMode(models.TextChoices):
    HALF_DAY = "half_day", _("Morning and afternoon shifts")
    DAY = "day", _("Full-day shifts")


class Workstation(TimeStampedModel):
    """An office's duty-lawyer post (值班律师工作站) at one site.

    Exactly the foreign key matching ``kind`` is set; the database enforces it.
    """

    office = models.ForeignKey(
        LegalAidOffice,
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="workstations",
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkstationKind.choices)
    detention_centre = models.ForeignKey(
        DetentionCentre,
        verbose_name=_("detention centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    procuratorate = models.ForeignKey(
        Procuratorate,
        verbose_name=_("procuratorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    opens_on = models.CharField(
        _("open on"), max_length=20, choices=OpeningDays.choices, default=OpeningDays.WORKING_DAYS
    )
    slot_mode = models.CharField(
        _("shifts"), max_length=10, choices=SlotMode.choices, default=SlotMode.HALF_DAY
    )
    lawyers_per_slot = models.PositiveSmallIntegerField(_("lawyers per shift"), default=1)

    class Meta:
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="workstation_site_matches_kind",
                condition=(
                    Q(
                        kind="detention_centre",
                        detention_centre__isnull=False,
                        procuratorate__isnull=True,
                        court__isnull=True,
                    )
                    | Q(
                        kind="procuratorate",
                        detention_centre__isnull=True,
                        procuratorate__isnull=False,
                        court__isnull=True,
                    )
                    | Q(
                        kind="court",
                        detention_centre__isnull=True,
                        procuratorate__isnull=True,
                        court__isnull=False,
                    )
                ),
            ),
            models.CheckConstraint(
                name="workstation_needs_a_lawyer", condition=Q(lawyers_per_slot__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def site(self) -> Site:
        return self.detention_centre or self.procuratorate or self.court


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4, 5, 6]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class LawyerKind(models.TextChoices):
    SOCIAL = "social", _("Social lawyer")
    PUBLIC_POST = "public_post", _("Public-post lawyer")
    MENTOR = "mentor", _("University mentor")
    STUDENT = "student", _("Student assistant")


@pghistory.track()
class Lawyer(TimeStampedModel):
    """A lawyer (or student assistant) on an office's list.

    Students hold no licence and always serve with a mentor; licensed lawyers
    always hold a licence number. The database enforces both.
    """

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="lawyer"
    )
    office = models.ForeignKey(
        LegalAidOffice,
        verbose_name=_("legal-aid office"),
        on_delete=models.PROTECT,
        related_name="lawyers",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LawyerKind.choices)
    licence_no = models.CharField(
        _("licence number"), max_length=30, unique=True, null=True, blank=True
    )
    firm = models.CharField(_("law firm or institution"), max_length=100, blank=True)
    mentor = models.ForeignKey(
        "self",
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="students",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    languages = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes, e.g. zh, bo (Tibetan), ug (Uyghur), en."),
    )
    sign_language = models.BooleanField(_("uses sign language"), default=False)
    takes_complex_cases = models.BooleanField(_("takes complex cases"), default=False)
    active = models.BooleanField(_("active"), default=True)
    # Regular availability for duty rosters (0 = Monday).
    available_weekdays = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("available weekdays"),
        default=default_weekdays,
        blank=True,
    )
    max_shifts_per_week = models.PositiveSmallIntegerField(_("most shifts a week"), default=3)
    max_shifts_per_month = models.PositiveSmallIntegerField(_("most shifts a month"), default=12)
    preferred_workstations = models.ManyToManyField(
        "Workstation",
        verbose_name=_("preferred workstations"),
        blank=True,
        related_name="preferred_by",
    )
    # Secret for the lawyer's calendar feed URL; resetting it cuts off old links.
    calendar_token = models.CharField(max_length=43, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                name="lawyer_student_has_mentor_no_licence",
                condition=(
                    Q(kind="student", mentor__isnull=False, licence_no__isnull=True)
                    | (
                        ~Q(kind="student")
                        & Q(mentor__isnull=True, licence_no__isnull=False)
                        & ~Q(licence_no="")
                    )
                ),
            ),
            models.CheckConstraint(
                name="lawyer_student_no_complex_cases",
                condition=~Q(kind="student") | Q(takes_complex_cases=False),
            ),
            models.CheckConstraint(
                name="lawyer_caps_consistent",
                condition=Q(max_shifts_per_week__lte=F("max_shifts_per_month")),
            ),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def is_student(self) -> bool:
        return self.kind == LawyerKind.STUDENT


class ShiftSlot(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")
    DAY = "day", _("Full day")


__all__ = [
    "Court",
    "DetentionCentre",
    "Lawyer",
    "LawyerKind",
    "LegalAidOffice",
    "OpeningDays",
    "Procuratorate",
    "Role",
    "ShiftSlot",
    "Site",
    "SlotMode",
    "User",
    "Workstation",
    "WorkstationKind",
    "default_weekdays",
    "new_calendar_token",
]
