"""Services for what rosters and subsidies read: workstation opening rules,
closures, lawyers' availability and leave, subsidy rates. Each validates the
row with its database constraints first, so bad input is a clear error naming
the field, and nothing is saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dutylaw.errors import DomainError, ErrorItem
from lawyers.models import (
    Lawyer,
    Leave,
    LegalAidOffice,
    SubsidyRates,
    User,
    Workstation,
    WorkstationClosure,
)

NON_FIELD = "__all__"


def _save(instance, *, fields: list[str] | None = None):
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise DomainError(
            *(
                ErrorItem("" if field == NON_FIELD else field, "invalid", message)
                for field, messages in exc.message_dict.items()
                for message in messages
            )
        ) from None
    try:
        with transaction.atomic():
            instance.save(update_fields=fields) if fields else instance.save()
    except IntegrityError:
        raise DomainError.single("", "conflict", _("This conflicts with what is stored.")) from None
    return instance


def _same_office(office: LegalAidOffice, *objects) -> None:
    for obj in objects:
        if obj.office_id != office.id:
            raise DomainError.single("", "other_office", _("This belongs to another office."))


def _check_range(date_from, date_to) -> None:
    if date_from and date_to and date_to < date_from:
        raise DomainError.single("date_to", "before_start", _("The end is before the start."))


def leave_add(
    *,
    office: LegalAidOffice,
    lawyer: Lawyer,
    date_from,
    date_to,
    reason: str = "",
    acting_user: User,
) -> Leave:
    _same_office(office, lawyer)
    _check_range(date_from, date_to)
    return _save(Leave(lawyer=lawyer, date_from=date_from, date_to=date_to, reason=reason))


def closure_add(
    *,
    office: LegalAidOffice,
    workstation: Workstation,
    date_from,
    date_to,
    reason: str = "",
    acting_user: User,
) -> WorkstationClosure:
    _same_office(office, workstation)
    _check_range(date_from, date_to)
    return _save(
        WorkstationClosure(
            workstation=workstation, date_from=date_from, date_to=date_to, reason=reason
        )
    )


def rates_add(*, office: LegalAidOffice, acting_user: User, **values) -> SubsidyRates:
    return _save(SubsidyRates(office=office, **values))


AVAILABILITY_FIELDS = ["available_weekdays", "max_shifts_per_week", "max_shifts_per_month"]


def availability_update(
    *, office: LegalAidOffice, lawyer: Lawyer, acting_user: User, preferred=None, **values
) -> Lawyer:
    _same_office(office, lawyer)
    for name in AVAILABILITY_FIELDS:
        if name in values:
            setattr(lawyer, name, values[name])
    if any(d not in range(7) for d in lawyer.available_weekdays):
        raise DomainError.single("available_weekdays", "invalid", _("Choose days of the week."))
    if lawyer.max_shifts_per_week > lawyer.max_shifts_per_month:
        raise DomainError.single(
            "max_shifts_per_week",
            "above_month",
            _("A week cannot have more shifts than the month."),
        )
    with transaction.atomic():
        _save(lawyer, fields=[*AVAILABILITY_FIELDS, "updated_at"])
        if preferred is not None:
            _same_office(office, *preferred)
            lawyer.preferred_workstations.set(preferred)
    return lawyer


WORKSTATION_FIELDS = ["opens_on", "slot_mode", "lawyers_per_slot", "active"]


def workstation_update(
    *, office: LegalAidOffice, workstation: Workstation, acting_user: User, **values
) -> Workstation:
    _same_office(office, workstation)
    for name in WORKSTATION_FIELDS:
        if name in values:
            setattr(workstation, name, values[name])
    return _save(workstation, fields=[*WORKSTATION_FIELDS, "updated_at"])
