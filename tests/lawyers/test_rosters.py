"""Roster services against the database: generation, publishing, hand edits,
swaps, claims, sign-in, on duty now, reminders, feed and subsidies."""

from __future__ import annotations

import io
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from openpyxl import load_workbook

from dutylaw.errors import DomainError, StateHasChanged
from lawyers.calendar_feed import calendar_token_reset, lawyer_calendar
from lawyers.models import (
    DetentionCentre,
    Leave,
    OpeningDays,
    Roster,
    RosterStatus,
    Shift,
    ShiftReminder,
    SlotMode,
    SubsidyRates,
    Workstation,
)
from lawyers.rosters import (
    on_duty_now,
    roster_create,
    roster_generate,
    roster_publish,
    roster_request_generation,
    shift_claim,
    shift_reminders_send,
    shift_set_lawyer,
    shift_sign_in,
    shift_sign_out,
    swap_decide,
    swap_offer,
    swap_take,
)
from lawyers.settings_services import availability_update, leave_add, rates_add
from lawyers.subsidies import office_statements, statements_csv, statements_xlsx
from tests.factories import LawyerFactory

pytestmark = pytest.mark.django_db
NEXT_MONTH = (timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1)


@pytest.fixture
def station(office):
    centre = DetentionCentre.objects.create(code="KSS-T", name="测试看守所")
    return Workstation.objects.create(
        office=office,
        code="WS-T",
        name="测试工作站",
        kind="detention_centre",
        detention_centre=centre,
        opens_on=OpeningDays.WEEKDAYS,
        slot_mode=SlotMode.DAY,
    )


@pytest.fixture
def team(office):
    return [LawyerFactory(office=office, user__full_name=f"律师{n}") for n in range(4)]


def generated(office, staff, month=NEXT_MONTH):
    roster = roster_create(office=office, month=month, acting_user=staff)
    Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.GENERATING)
    return roster_generate(roster_id=roster.pk, time_limit=5)


@pytest.mark.parametrize(
    ("month", "allowed"), [(date(2027, 2, 1), False), (date(2027, 3, 1), True)]
)
def test_a_roster_is_for_this_month_or_later(office, staff, month, allowed):
    # 1 March 2027 at 00:30 in Shanghai is still 28 February in UTC.
    now = datetime(2027, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    if allowed:
        assert roster_create(office=office, month=month, acting_user=staff, now=now).month == month
        later = roster_create(office=office, month=date(2027, 4, 1), acting_user=staff, now=now)
        assert later.month == date(2027, 4, 1)
    else:
        with pytest.raises(DomainError) as excinfo:
            roster_create(office=office, month=month, acting_user=staff, now=now)
        assert excinfo.value.items[0].code == "past"
        assert not Roster.objects.exists()


def test_generate_covers_weekdays_fairly(office, staff, station, team):
    roster = generated(office, staff)
    weekdays = [d for d in range(1, 32) if _is_weekday(NEXT_MONTH, d)]
    assert roster.stats["covered"] == roster.stats["needed"] == len(weekdays)
    counts = [Shift.objects.filter(roster=roster, lawyer=lw).count() for lw in team]
    assert max(counts) - min(counts) <= 1
    assert roster.status == RosterStatus.DRAFT


def _is_weekday(month: date, day: int) -> bool:
    try:
        return month.replace(day=day).weekday() < 5
    except ValueError:
        return False


def test_uncovered_seats_become_open_shifts_with_reasons(office, staff, station, team):
    for lw in team:
        lw.available_weekdays = [0]  # Mondays only
        lw.save()
    roster = generated(office, staff)
    open_shifts = Shift.objects.filter(roster=roster, lawyer__isnull=True)
    assert open_shifts.exists()
    assert {u["code"] for u in roster.uncovered} == {"nobody_available"}


def test_rerun_keeps_pinned_shifts(office, staff, station, team):
    roster = generated(office, staff)
    shift = Shift.objects.filter(roster=roster).first()
    shift_set_lawyer(
        shift=shift,
        lawyer=team[3],
        acting_user=staff,
        expected_version=Roster.objects.get(pk=roster.pk).version,
    )
    roster_request_generation(
        roster=roster, expected_version=Roster.objects.get(pk=roster.pk).version
    )
    roster_generate(roster_id=roster.pk, time_limit=5)
    shift.refresh_from_db()
    assert shift.lawyer == team[3] and shift.pinned


def test_publish_refuses_stale_version_and_second_publish(
    office, staff, other_staff, station, team
):
    roster = generated(office, staff)
    with pytest.raises(StateHasChanged):
        roster_publish(roster=roster, acting_user=staff, expected_version=roster.version - 1)
    roster_publish(roster=roster, acting_user=staff, expected_version=roster.version)
    with pytest.raises(DomainError) as excinfo:
        roster_publish(roster=roster, acting_user=staff, expected_version=roster.version + 1)
    assert excinfo.value.items[0].code == "published"


@pytest.mark.django_db(transaction=True)
def test_two_staff_publishing_at_once_one_wins(office, staff, station, team):
    roster = generated(office, staff)
    barrier = threading.Barrier(2)
    outcomes = []

    def publish():
        try:
            barrier.wait()
            roster_publish(roster=roster, acting_user=staff, expected_version=roster.version)
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]


def _shift(station, lawyer=None, day=None, slot="day"):
    return Shift.objects.create(
        workstation=station,
        lawyer=lawyer,
        date=day or timezone.localdate() + timedelta(days=2),
        slot=slot,
    )


def test_hand_edit_refuses_double_booking_and_leave(staff, station, team):
    day = timezone.localdate() + timedelta(days=3)
    _shift(station, team[0], day)
    other = Shift.objects.create(workstation=station, date=day, slot="day", seat=1)
    with pytest.raises(DomainError) as excinfo:
        shift_set_lawyer(shift=other, lawyer=team[0], acting_user=staff, expected_version=None)
    assert excinfo.value.items[0].code == "double_booked"
    Leave.objects.create(lawyer=team[1], date_from=day, date_to=day)
    with pytest.raises(DomainError) as excinfo:
        shift_set_lawyer(shift=other, lawyer=team[1], acting_user=staff, expected_version=None)
    assert excinfo.value.items[0].code == "on_leave"
    assert Shift.objects.get(pk=other.pk).lawyer is None


def test_swap_offer_take_approve(staff, station, team):
    shift = _shift(station, team[0])
    swap = swap_offer(shift=shift, lawyer=team[0])
    with pytest.raises(DomainError):
        swap_offer(shift=shift, lawyer=team[0])  # one offer at a time
    swap_take(swap=swap, lawyer=team[1])
    swap_decide(swap=swap, approve=True, acting_user=staff)
    shift.refresh_from_db()
    assert shift.lawyer == team[1]


def test_swap_onto_a_booked_lawyer_is_refused(station, team):
    shift = _shift(station, team[0])
    Shift.objects.create(workstation=station, lawyer=team[1], date=shift.date, slot="day", seat=1)
    swap = swap_offer(shift=shift, lawyer=team[0])
    with pytest.raises(DomainError) as excinfo:
        swap_take(swap=swap, lawyer=team[1])
    assert excinfo.value.items[0].code == "double_booked"


def test_claim_open_shift_once(station, team):
    shift = _shift(station)
    shift_claim(shift=shift, lawyer=team[0])
    with pytest.raises(DomainError) as excinfo:
        shift_claim(shift=shift, lawyer=team[1])
    assert excinfo.value.items[0].code == "taken"


# 00:30 in Shanghai is still the day before in UTC: "today" is the local date.
JUST_AFTER_MIDNIGHT = datetime(2027, 3, 10, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(("days", "allowed"), [(-1, False), (0, True), (1, True)])
def test_a_shift_can_change_hands_until_its_day_is_over(staff, station, team, days, allowed):
    day = JUST_AFTER_MIDNIGHT.date() + timedelta(days=days)
    now = JUST_AFTER_MIDNIGHT
    steps = [
        lambda: swap_offer(shift=_shift(station, team[0], day), lawyer=team[0], now=now),
        lambda: shift_claim(shift=_shift(station, None, day, slot="am"), lawyer=team[2], now=now),
    ]
    for step in steps:
        if allowed:
            step()
        else:
            with pytest.raises(DomainError) as excinfo:
                step()
            assert excinfo.value.items[0].code == "past"


def test_an_offered_shift_cannot_be_taken_or_approved_once_its_day_is_over(staff, station, team):
    day = JUST_AFTER_MIDNIGHT.date()
    swap = swap_offer(shift=_shift(station, team[0], day), lawyer=team[0], now=JUST_AFTER_MIDNIGHT)
    next_day = JUST_AFTER_MIDNIGHT + timedelta(days=1)
    with pytest.raises(DomainError) as excinfo:
        swap_take(swap=swap, lawyer=team[1], now=next_day)
    assert excinfo.value.items[0].code == "past"
    swap_take(swap=swap, lawyer=team[1], now=JUST_AFTER_MIDNIGHT)
    with pytest.raises(DomainError) as excinfo:
        swap_decide(swap=swap, approve=True, acting_user=staff, now=next_day)
    assert excinfo.value.items[0].code == "past"
    assert Shift.objects.get(pk=swap.shift_id).lawyer == team[0]


def test_sign_in_window_and_sign_out(station, team):
    today = timezone.localdate()
    shift = _shift(station, team[0], today)
    tz = timezone.get_current_timezone()
    with pytest.raises(DomainError):
        shift_sign_in(
            shift=shift, lawyer=team[0], at=datetime.combine(today, datetime.min.time(), tzinfo=tz)
        )
    with pytest.raises(DomainError):
        shift_sign_out(shift=shift, lawyer=team[0])
    at = datetime.combine(today, datetime.min.time(), tzinfo=tz).replace(hour=9)
    shift_sign_in(shift=shift, lawyer=team[0], at=at)
    assert on_duty_now(workstation=station, at=at.replace(hour=10)) == [team[0]]
    with pytest.raises(DomainError):
        shift_sign_in(shift=shift, lawyer=team[1], at=at)  # not theirs
    shift_sign_out(shift=shift, lawyer=team[0], at=at.replace(hour=17))
    assert on_duty_now(workstation=station, at=at.replace(hour=17, minute=10)) == []


def test_reminder_sent_once(station, team):
    day = timezone.localdate() + timedelta(days=1)
    _shift(station, team[0], day)
    assert shift_reminders_send(day=day) == 1
    assert shift_reminders_send(day=day) == 0
    assert ShiftReminder.objects.count() == 1


def test_calendar_feed_and_reset(client, station, team):
    _shift(station, team[0])
    ics = lawyer_calendar(lawyer=team[0]).decode()
    assert "BEGIN:VEVENT" in ics and "测试工作站" in ics
    old = team[0].calendar_token
    assert client.get(f"/duty/calendar/{old}.ics").status_code == 200
    calendar_token_reset(lawyer=team[0])
    assert client.get(f"/duty/calendar/{old}.ics").status_code == 404
    assert client.get(f"/duty/calendar/{team[0].calendar_token}.ics").status_code == 200


# Mid-month, in the afternoon, the case notified then too: the shift signed in
# at 09:00 on the 1st and the consultation are both in the past (on the 1st
# before 09:30 they would not be).
@pytest.mark.time_machine(datetime(2027, 3, 15, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_subsidy_statement_and_exports(office, staff, station, team, case, duty):
    month = timezone.localdate().replace(day=1)
    rates_add(
        office=office,
        acting_user=staff,
        effective_from=month,
        shift_day=150,
        case_simple=200,
        case_complex=500,
        trial_defence=1200,
    )
    tz = timezone.get_current_timezone()
    signed = datetime.combine(month, datetime.min.time(), tzinfo=tz).replace(hour=9)
    Shift.objects.create(
        workstation=station, lawyer=duty, date=month, slot="day", signed_in_at=signed
    )
    Shift.objects.create(
        workstation=station, lawyer=duty, date=month + timedelta(days=1), slot="am"
    )  # not signed in: does not count
    from cases.records import record_create

    start = max(signed, timezone.now() - timedelta(hours=3))
    record_create(
        case=case,
        user=duty.user,
        kind="consultation",
        values={"started_at": start, "ended_at": start + timedelta(minutes=30), "summary": "咨询"},
    )
    statement = next(s for s in office_statements(office=office, month=month) if s.lawyer == duty)
    assert statement.shift_days == 1 and statement.simple_cases == 1
    assert statement.unsigned_shifts == 1 and statement.total == 350
    csv_text = statements_csv([statement]).decode("utf-8-sig")
    assert "李明" in csv_text and "350.0" in csv_text
    book = load_workbook(io.BytesIO(statements_xlsx([statement], title="x")))
    assert book.active["A2"].value == "李明" and book.active["H2"].value == 350.0


def test_exports_keep_formula_like_names_as_text(office, staff):
    LawyerFactory(office=office, user__full_name='=HYPERLINK("http://x","点我")')
    LawyerFactory(office=office, user__full_name="-2+3", licence_no="@SUM(A1)")
    statements = office_statements(office=office, month=date(2027, 3, 1))
    assert len(statements) == 2
    rows = statements_csv(statements).decode("utf-8-sig").splitlines()[1:]
    assert any(r.startswith("\"'=HYPERLINK(") for r in rows)
    assert any(r.startswith("'-2+3,'@SUM(A1)") for r in rows)
    sheet = load_workbook(io.BytesIO(statements_xlsx(statements, title="x"))).active
    names = {sheet[f"A{n}"].value for n in range(2, 2 + len(statements))}
    assert '\'=HYPERLINK("http://x","点我")' in names and "'-2+3" in names
    assert all(sheet[f"A{n}"].data_type == "s" for n in range(2, 2 + len(statements)))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (
            {"shift_day": -1, "case_simple": 200, "case_complex": 500, "trial_defence": 1200},
            "shift_day",
        ),
    ],
)
def test_negative_rates_are_refused(office, staff, values, field):
    with pytest.raises(DomainError) as excinfo:
        rates_add(office=office, acting_user=staff, effective_from=date(2026, 1, 1), **values)
    assert field in [i.field for i in excinfo.value.items] or excinfo.value.items
    assert not SubsidyRates.objects.exists()


def test_inverted_and_overlapping_leave_refused(office, staff, team):
    with pytest.raises(DomainError):
        leave_add(
            office=office,
            lawyer=team[0],
            date_from=date(2026, 12, 10),
            date_to=date(2026, 12, 1),
            acting_user=staff,
        )
    leave_add(
        office=office,
        lawyer=team[0],
        date_from=date(2026, 12, 1),
        date_to=date(2026, 12, 5),
        acting_user=staff,
    )
    with pytest.raises(DomainError):
        leave_add(
            office=office,
            lawyer=team[0],
            date_from=date(2026, 12, 5),
            date_to=date(2026, 12, 8),
            acting_user=staff,
        )
    assert Leave.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Leave.objects.create(lawyer=team[0], date_from=date(2026, 12, 3), date_to=date(2026, 12, 4))


def test_caps_below_zero_or_inconsistent_refused(office, staff, team):
    with pytest.raises(DomainError):
        availability_update(
            office=office,
            lawyer=team[0],
            acting_user=staff,
            max_shifts_per_week=-1,
            max_shifts_per_month=5,
        )
    with pytest.raises(DomainError) as excinfo:
        availability_update(
            office=office,
            lawyer=team[0],
            acting_user=staff,
            max_shifts_per_week=6,
            max_shifts_per_month=5,
        )
    assert excinfo.value.items[0].field == "max_shifts_per_week"
    team[0].refresh_from_db()
    assert team[0].max_shifts_per_week == 3


def test_the_duty_reminder_is_written_in_the_lawyers_language(station, team, mailoutbox):
    lawyer = team[0]
    lawyer.user.email, lawyer.user.language = "lawyer@example.org", "en"
    lawyer.user.save()
    day = timezone.localdate() + timedelta(days=1)
    _shift(station, lawyer, day)
    shift_reminders_send(day=day)
    assert mailoutbox[-1].subject == "Duty tomorrow"
    assert "You are on duty on" in mailoutbox[-1].body


def test_the_calendar_feed_is_in_the_lawyers_language(station, team):
    from django.utils import translation

    from lawyers.calendar_feed import lawyer_calendar

    _shift(station, team[0])
    with translation.override("en"):  # the calendar app's language does not matter
        feed = lawyer_calendar(lawyer=team[0]).decode()
    assert "值班律师排班" in feed and "值班：测试工作站" in feed
    team[0].user.language = "en"
    team[0].user.save()
    assert "On duty: 测试工作站" in lawyer_calendar(lawyer=team[0]).decode()
