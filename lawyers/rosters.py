"""Roster services: generate with the solver, edit by hand, publish, swap,
claim, sign in and out, remind, and say who is on duty now."""

from __future__ import annotations

import calendar
import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dutylaw.errors import DomainError, ErrorItem, StateHasChanged
from lawyers.models import (
    Lawyer,
    LawyerKind,
    Leave,
    LegalAidOffice,
    OpeningDays,
    Roster,
    RosterStatus,
    Shift,
    ShiftReminder,
    ShiftSlot,
    ShiftSwap,
    SlotMode,
    SwapStatus,
    User,
    Workstation,
    WorkstationClosure,
)
from lawyers.roster_solver import LawyerOffer, SlotNeed, solve_roster
from triage.workdays import is_workday

logger = logging.getLogger(__name__)

# When each slot runs, for sign-in and "on duty now".
SLOT_HOURS = {
    ShiftSlot.MORNING: (time(8, 30), time(12, 0)),
    ShiftSlot.AFTERNOON: (time(13, 30), time(17, 30)),
    ShiftSlot.DAY: (time(8, 30), time(17, 30)),
}
SIGN_IN_EARLY = timedelta(hours=1)


def month_days(month: date) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=n) for n in range(1, last + 1)]


def workstation_open(workstation: Workstation, day: date, closed: set[tuple[int, date]]) -> bool:
    if (workstation.id, day) in closed:
        return False
    if workstation.opens_on == OpeningDays.EVERY_DAY:
        return True
    if workstation.opens_on == OpeningDays.WEEKDAYS:
        return day.weekday() < 5
    return is_workday(day)


def slots_of(workstation: Workstation) -> tuple[str, ...]:
    if workstation.slot_mode == SlotMode.DAY:
        return (ShiftSlot.DAY,)
    return (ShiftSlot.MORNING, ShiftSlot.AFTERNOON)


def closed_days(workstations, days) -> set[tuple[int, date]]:
    closed = set()
    closures = WorkstationClosure.objects.filter(
        workstation__in=workstations, date_to__gte=days[0], date_from__lte=days[-1]
    )
    for closure in closures:
        day = max(closure.date_from, days[0])
        while day <= min(closure.date_to, days[-1]):
            closed.add((closure.workstation_id, day))
            day += timedelta(1)
    return closed


def roster_problem(roster: Roster) -> tuple[list[SlotNeed], list[LawyerOffer], list]:
    """The solver's input for a roster, read from the database."""
    days = month_days(roster.month)
    workstations = list(Workstation.objects.filter(office_id=roster.office_id, active=True))
    closed = closed_days(workstations, days)
    slots = [
        SlotNeed((ws.id, day, slot), ws.id, day, slot, ws.lawyers_per_slot, not is_workday(day))
        for ws in workstations
        for day in days
        if workstation_open(ws, day, closed)
        for slot in slots_of(ws)
    ]
    lawyers = list(
        Lawyer.objects.filter(office_id=roster.office_id, active=True)
        .exclude(kind=LawyerKind.STUDENT)
        .prefetch_related("preferred_workstations")
    )
    leave_days = defaultdict(set)
    for leave in Leave.objects.filter(
        lawyer__in=lawyers, date_to__gte=days[0], date_from__lte=days[-1]
    ):
        day = max(leave.date_from, days[0])
        while day <= min(leave.date_to, days[-1]):
            leave_days[leave.lawyer_id].add(day)
            day += timedelta(1)
    offers = []
    for lawyer in lawyers:
        available = frozenset(
            d
            for d in days
            if d.weekday() in lawyer.available_weekdays and d not in leave_days[lawyer.id]
        )
        offers.append(
            LawyerOffer(
                id=lawyer.id,
                available_days=available,
                max_week=lawyer.max_shifts_per_week,
                max_month=lawyer.max_shifts_per_month,
                preferred=frozenset(w.id for w in lawyer.preferred_workstations.all()),
                group=(
                    tuple(sorted(lawyer.available_weekdays)),
                    lawyer.max_shifts_per_week,
                    lawyer.max_shifts_per_month,
                    len(leave_days[lawyer.id]),
                ),
            )
        )
    pinned = [
        (s.lawyer_id, (s.workstation_id, s.date, s.slot))
        for s in roster.shifts.filter(pinned=True, lawyer__isnull=False)
    ]
    return slots, offers, pinned


def _uncovered_reason(key, offers, taken_days, counts, week_counts) -> dict:
    """Why nobody could take this slot, in terms a person can act on."""
    _ws, day, _slot = key
    available = [o for o in offers if day in o.available_days]
    if not available:
        return {"code": "nobody_available", "count": 0}
    busy = sum(1 for o in available if (o.id, day) in taken_days)
    capped = sum(
        1
        for o in available
        if (o.id, day) not in taken_days
        and (counts[o.id] >= o.max_month or week_counts[o.id, day.isocalendar()[:2]] >= o.max_week)
    )
    return {"code": "all_busy_or_capped", "count": len(available), "busy": busy, "capped": capped}


@transaction.atomic
def roster_create(
    *, office: LegalAidOffice, month: date, acting_user: User, now: datetime | None = None
) -> Roster:
    """A draft roster for this month or a later one (a roster plans duty still
    to come; "this month" is the local month of ``now``)."""
    month = month.replace(day=1)
    if month < timezone.localdate(now).replace(day=1):
        raise DomainError.single(
            "month", "past", _("This month is over; choose this month or a later one.")
        )
    if Roster.objects.filter(office=office, month=month).exists():
        raise DomainError.single(
            "month", "exists", _("This month already has a roster; open it instead.")
        )
    return Roster.objects.create(office=office, month=month)


def roster_request_generation(*, roster: Roster, expected_version: int) -> None:
    """Mark the draft as generating and queue the solver (after commit)."""
    from lawyers.tasks import generate_roster

    with transaction.atomic():
        updated = Roster.objects.filter(
            pk=roster.pk, version=expected_version, status=RosterStatus.DRAFT
        ).update(status=RosterStatus.GENERATING, version=F("version") + 1)
        if not updated:
            _refuse_stale(roster)
        generate_roster.delay_on_commit(roster.pk)


def _refuse_stale(roster: Roster) -> None:
    current = Roster.objects.get(pk=roster.pk)
    if current.status == RosterStatus.PUBLISHED:
        raise DomainError.single(
            "roster", "published", _("The roster is published; it can no longer be regenerated.")
        )
    if current.status == RosterStatus.GENERATING:
        raise DomainError.single("roster", "generating", _("The solver is already running."))
    raise StateHasChanged(
        ErrorItem(
            "roster",
            "state_changed",
            _("Someone changed this roster meanwhile. Reload and try again."),
        )
    )


def roster_generate(*, roster_id: int, time_limit: float = 20.0) -> Roster | None:
    """Run the solver for a roster marked as generating and store the draft:
    pinned shifts stay, the rest is replaced, empty seats become open shifts."""
    roster = Roster.objects.filter(pk=roster_id, status=RosterStatus.GENERATING).first()
    if roster is None:
        return None  # already done, or withdrawn
    slots, offers, pinned = roster_problem(roster)
    result = solve_roster(slots, offers, pinned, time_limit=time_limit)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status != RosterStatus.GENERATING:
            return roster
        roster.shifts.filter(pinned=False).delete()
        seats = defaultdict(int)
        for shift in roster.shifts.all():
            seats[shift.workstation_id, shift.date, shift.slot] += 1
        new = []
        for lawyer_id, (ws, day, slot) in result.assignments:
            seat = seats[ws, day, slot]
            seats[ws, day, slot] += 1
            new.append(
                Shift(
                    roster=roster,
                    workstation_id=ws,
                    lawyer_id=lawyer_id,
                    date=day,
                    slot=slot,
                    seat=seat,
                )
            )
        taken_days = {(lid, key[1]) for lid, key in [*result.assignments, *pinned]}
        week_counts = defaultdict(int)
        for lid, key in [*result.assignments, *pinned]:
            week_counts[lid, key[1].isocalendar()[:2]] += 1
        counts = defaultdict(int, result.counts)
        uncovered = []
        for key, missing in sorted(result.uncovered.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            ws, day, slot = key
            for _n in range(missing):
                seat = seats[ws, day, slot]
                seats[ws, day, slot] += 1
                new.append(
                    Shift(
                        roster=roster,
                        workstation_id=ws,
                        lawyer=None,
                        date=day,
                        slot=slot,
                        seat=seat,
                    )
                )
            uncovered.append(
                {
                    "workstation": ws,
                    "date": day.isoformat(),
                    "slot": slot,
                    "missing": missing,
                    **_uncovered_reason(key, offers, taken_days, counts, week_counts),
                }
            )
        Shift.objects.bulk_create(new)
        needed = sum(s.need for s in slots)
        roster.stats = {
            "seconds": round(result.seconds, 1),
            "status": result.status,
            "needed": needed,
            "covered": needed - sum(result.uncovered.values()),
            "spread": result.spread,
            "weekend_spread": result.weekend_spread,
            "lawyers": len(offers),
        }
        roster.uncovered = uncovered
        roster.status = RosterStatus.DRAFT
        roster.generated_at = timezone.now()
        roster.version += 1
        roster.save()
    return roster


def roster_publish(*, roster: Roster, acting_user: User, expected_version: int) -> Roster:
    updated = Roster.objects.filter(
        pk=roster.pk, version=expected_version, status=RosterStatus.DRAFT
    ).update(
        status=RosterStatus.PUBLISHED,
        published_at=timezone.now(),
        published_by=acting_user,
        version=F("version") + 1,
    )
    if not updated:
        _refuse_stale(roster)
    return Roster.objects.get(pk=roster.pk)


# --- Hand edits, swaps and claims ---------------------------------------------------------


def _check_can_serve(lawyer: Lawyer, shift: Shift) -> None:
    if not lawyer.active or lawyer.kind == LawyerKind.STUDENT:
        raise DomainError.single("lawyer", "inactive", _("This lawyer cannot be rostered."))
    if lawyer.office_id != shift.workstation.office_id:
        raise DomainError.single(
            "lawyer", "other_office", _("This lawyer is not on this office's list.")
        )
    if Leave.objects.filter(
        lawyer=lawyer, date_from__lte=shift.date, date_to__gte=shift.date
    ).exists():
        raise DomainError.single("lawyer", "on_leave", _("This lawyer is on leave that day."))
    if Shift.objects.filter(lawyer=lawyer, date=shift.date).exclude(pk=shift.pk).exists():
        raise DomainError.single(
            "lawyer", "double_booked", _("This lawyer already has a shift that day.")
        )


def _bump(roster: Roster | None, expected_version: int | None) -> None:
    """Edits of a roster carry the version the editor saw; a stale one is refused."""
    if roster is None:
        return
    updated = (
        Roster.objects.filter(pk=roster.pk)
        .filter(Q(version=expected_version) if expected_version is not None else Q())
        .update(version=F("version") + 1)
    )
    if not updated:
        _refuse_stale(roster)


@transaction.atomic
def shift_set_lawyer(
    *,
    shift: Shift,
    lawyer: Lawyer | None,
    acting_user: User,
    expected_version: int | None,
    pin: bool = True,
) -> Shift:
    """Staff put a lawyer on a shift (or clear it); pinned, so a re-run keeps it."""
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("workstation", "roster")
        .get(pk=shift.pk)
    )
    if lawyer is not None:
        _check_can_serve(lawyer, shift)
    _bump(shift.roster, expected_version)
    shift.lawyer = lawyer
    shift.pinned = pin and lawyer is not None
    shift.urgent = (
        lawyer is None
        and shift.roster is not None
        and (shift.roster.status == RosterStatus.PUBLISHED)
    )
    try:
        with transaction.atomic():
            shift.save(update_fields=["lawyer", "pinned", "urgent", "updated_at"])
    except IntegrityError:
        raise DomainError.single(
            "lawyer", "double_booked", _("This lawyer already has a shift that day.")
        ) from None
    ShiftSwap.objects.filter(shift=shift, status__in=[SwapStatus.OFFERED, SwapStatus.TAKEN]).update(
        status=SwapStatus.CANCELLED
    )
    return shift


def _own_shift(shift: Shift, lawyer: Lawyer) -> None:
    if shift.lawyer_id != lawyer.id:
        raise DomainError.single("shift", "not_yours", _("This is not your shift."))


def _future(shift: Shift, now: datetime | None) -> None:
    if shift.date < timezone.localdate(now):
        raise DomainError.single("shift", "past", _("This shift is over."))


def swap_offer(
    *, shift: Shift, lawyer: Lawyer, note: str = "", now: datetime | None = None
) -> ShiftSwap:
    _own_shift(shift, lawyer)
    _future(shift, now)
    try:
        with transaction.atomic():
            return ShiftSwap.objects.create(shift=shift, offered_by=lawyer, note=note[:300])
    except IntegrityError:
        raise DomainError.single(
            "shift", "already_offered", _("This shift is already on offer.")
        ) from None


@transaction.atomic
def swap_take(*, swap: ShiftSwap, lawyer: Lawyer, now: datetime | None = None) -> ShiftSwap:
    swap = (
        ShiftSwap.objects.select_for_update(of=("self",))
        .select_related("shift__workstation")
        .get(pk=swap.pk)
    )
    if swap.status != SwapStatus.OFFERED:
        raise DomainError.single("swap", "taken", _("Someone has already taken this shift."))
    if swap.offered_by_id == lawyer.id:
        raise DomainError.single("swap", "own", _("You offered this shift yourself."))
    _future(swap.shift, now)
    _check_can_serve(lawyer, swap.shift)
    swap.taken_by = lawyer
    swap.status = SwapStatus.TAKEN
    swap.save(update_fields=["taken_by", "status", "updated_at"])
    return swap


@transaction.atomic
def swap_decide(
    *, swap: ShiftSwap, approve: bool, acting_user: User, now: datetime | None = None
) -> ShiftSwap:
    """Staff approve (the shift moves) or reject a taken swap."""
    swap = (
        ShiftSwap.objects.select_for_update(of=("self",))
        .select_related("shift__workstation")
        .get(pk=swap.pk)
    )
    if swap.status != SwapStatus.TAKEN:
        raise DomainError.single("swap", "not_pending", _("This swap is not awaiting approval."))
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("workstation")
        .get(pk=swap.shift_id)
    )
    if approve:
        if shift.lawyer_id != swap.offered_by_id:
            raise StateHasChanged(
                ErrorItem("swap", "state_changed", _("The shift changed hands meanwhile."))
            )
        _future(shift, now)
        _check_can_serve(swap.taken_by, shift)
        shift.lawyer = swap.taken_by
        shift.pinned = True
        shift.save(update_fields=["lawyer", "pinned", "updated_at"])
    swap.status = SwapStatus.APPROVED if approve else SwapStatus.REJECTED
    swap.decided_by = acting_user
    swap.save(update_fields=["status", "decided_by", "updated_at"])
    return swap


def shift_claim(*, shift: Shift, lawyer: Lawyer, now: datetime | None = None) -> Shift:
    """A lawyer takes an open shift. The conditional update makes two claims
    of one shift end with one winner."""
    now = now or timezone.now()
    _future(shift, now)
    _check_can_serve(lawyer, Shift.objects.select_related("workstation").get(pk=shift.pk))
    try:
        with transaction.atomic():
            claimed = Shift.objects.filter(pk=shift.pk, lawyer__isnull=True).update(
                lawyer=lawyer, pinned=True, urgent=False, updated_at=now
            )
    except IntegrityError:
        raise DomainError.single(
            "shift", "double_booked", _("You already have a shift that day.")
        ) from None
    if not claimed:
        raise DomainError.single("shift", "taken", _("Someone has already taken this shift."))
    return Shift.objects.get(pk=shift.pk)


def shift_release(*, shift: Shift, acting_user: User, expected_version: int | None) -> Shift:
    """Staff take a lawyer off a shift; it becomes an urgent open shift."""
    return shift_set_lawyer(
        shift=shift, lawyer=None, acting_user=acting_user, expected_version=expected_version
    )


# --- Sign in, sign out, on duty now -------------------------------------------------------


def shift_window(shift: Shift) -> tuple[datetime, datetime]:
    start, end = SLOT_HOURS[shift.slot]
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(shift.date, start, tzinfo=tz),
        datetime.combine(shift.date, end, tzinfo=tz),
    )


def shift_sign_in(*, shift: Shift, lawyer: Lawyer, at: datetime | None = None) -> Shift:
    at = at or timezone.now()
    _own_shift(shift, lawyer)
    start, end = shift_window(shift)
    if not start - SIGN_IN_EARLY <= at <= end:
        raise DomainError.single(
            "shift",
            "outside_hours",
            _("You can sign in from an hour before the shift until it ends."),
        )
    updated = Shift.objects.filter(pk=shift.pk, signed_in_at__isnull=True).update(signed_in_at=at)
    if not updated:
        raise DomainError.single("shift", "signed_in", _("You have already signed in."))
    return Shift.objects.get(pk=shift.pk)


def shift_sign_out(*, shift: Shift, lawyer: Lawyer, at: datetime | None = None) -> Shift:
    at = at or timezone.now()
    _own_shift(shift, lawyer)
    updated = Shift.objects.filter(
        pk=shift.pk, signed_in_at__isnull=False, signed_in_at__lte=at, signed_out_at__isnull=True
    ).update(signed_out_at=at)
    if not updated:
        raise DomainError.single(
            "shift", "not_signed_in", _("Sign in first, and sign out only once.")
        )
    return Shift.objects.get(pk=shift.pk)


def on_duty_now(*, workstation: Workstation, at: datetime | None = None) -> list[Lawyer]:
    """Lawyers on duty at the workstation at ``at``: scheduled for the slot
    that is running and not signed out; those signed in first."""
    at = timezone.localtime(at or timezone.now())
    shifts = Shift.objects.filter(
        workstation=workstation, date=at.date(), lawyer__isnull=False, signed_out_at__isnull=True
    ).select_related("lawyer__user")
    running = []
    for shift in shifts:
        start, end = shift_window(shift)
        if start - SIGN_IN_EARLY <= at <= end:
            running.append(shift)
    running.sort(key=lambda s: s.signed_in_at is None)
    return [s.lawyer for s in running]


# --- Reminders -------------------------------------------------------------------------------


def shifts_to_remind(*, day: date) -> QuerySet[Shift]:
    return Shift.objects.filter(date=day, lawyer__isnull=False).select_related(
        "lawyer__user", "workstation"
    )


def shift_reminders_send(*, day: date) -> int:
    """Remind each lawyer of tomorrow's shift once: the reminder row is
    claimed first (unique), and only its claimer sends."""
    from dutylaw.notify import notify_user

    sent = 0
    for shift in shifts_to_remind(day=day):
        try:
            with transaction.atomic():
                ShiftReminder.objects.create(shift=shift, lawyer=shift.lawyer, kind="day_before")
        except IntegrityError:
            continue
        start, _end = SLOT_HOURS[shift.slot]
        with translation.override(shift.lawyer.user.language):
            notify_user(
                user=shift.lawyer.user,
                subject=_("Duty tomorrow"),
                body=_("You are on duty on %(day)s (%(slot)s, from %(start)s) at %(place)s.")
                % {
                    "day": shift.date.isoformat(),
                    "slot": shift.get_slot_display(),
                    "start": start.strftime("%H:%M"),
                    "place": shift.workstation.name,
                },
            )
        sent += 1
    return sent
