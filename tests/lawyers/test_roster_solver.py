"""The solver on small crafted cases whose best answers are known."""

from __future__ import annotations

from datetime import date, timedelta

from lawyers.roster_solver import LawyerOffer, SlotNeed, solve_roster

MON = date(2026, 12, 7)  # a Monday
DAYS = [MON + timedelta(n) for n in range(7)]


def slots_on(days, ws=1, slot="am", need=1):
    return [SlotNeed((ws, d, slot), ws, d, slot, need, d.weekday() >= 5) for d in days]


def lawyer(n, days=DAYS, week=7, month=31, preferred=(), group=("g",)):
    return LawyerOffer(n, frozenset(days), week, month, frozenset(preferred), group)


def test_every_slot_covered_and_counts_even():
    result = solve_roster(slots_on(DAYS[:6]), [lawyer(1), lawyer(2), lawyer(3)])
    assert result.uncovered == {}
    assert sorted(result.counts.values()) == [2, 2, 2]
    assert result.spread == 0


def test_one_shift_a_day_and_the_uncovered_seat_is_reported():
    slots = slots_on(DAYS[:1], slot="am") + slots_on(DAYS[:1], slot="pm")
    result = solve_roster(slots, [lawyer(1)])
    assert len(result.assignments) == 1
    assert sum(result.uncovered.values()) == 1


def test_weekly_cap_is_respected():
    result = solve_roster(slots_on(DAYS), [lawyer(1, week=2), lawyer(2, week=2)])
    assert result.counts == {1: 2, 2: 2}
    assert sum(result.uncovered.values()) == 3


def test_unavailable_days_are_never_used():
    result = solve_roster(slots_on(DAYS[:2]), [lawyer(1, days=DAYS[:1]), lawyer(2, days=DAYS[1:2])])
    assert sorted(result.assignments) == [(1, (1, DAYS[0], "am")), (2, (1, DAYS[1], "am"))]


def test_weekend_duty_is_shared():
    # Four slots, two on the weekend; two equal lawyers share both kinds evenly.
    days = [DAYS[3], DAYS[4], DAYS[5], DAYS[6]]
    result = solve_roster(slots_on(days), [lawyer(1), lawyer(2)])
    weekend = {lid for lid, key in result.assignments if key[1].weekday() >= 5}
    assert weekend == {1, 2} and result.spread == 0 and result.weekend_spread == 0


def test_pinned_shift_is_kept_and_counted():
    slots = slots_on(DAYS[:4])
    result = solve_roster(slots, [lawyer(1), lawyer(2)], pinned=[(1, slots[0].key)])
    assert (1, slots[0].key) not in result.assignments  # it was never a choice
    assert result.counts == {1: 2, 2: 2}
    assert not any(key == slots[0].key for _lid, key in result.assignments)


def test_preferences_are_honoured_where_possible():
    slots = slots_on(DAYS[:2], ws=1) + slots_on(DAYS[:2], ws=2)
    result = solve_roster(slots, [lawyer(1, preferred={1}), lawyer(2, preferred={2})])
    assert all(key[0] == lid for lid, key in result.assignments)
    # When the lawyer who prefers station 2 is away, the other covers it.
    away = solve_roster(slots, [lawyer(1, preferred={1}), lawyer(2, days=[], preferred={2})])
    assert len(away.assignments) == 2 and sum(away.uncovered.values()) == 2


def test_fairness_within_groups_only():
    # Group A (two lawyers) and group B (one lawyer with fewer days).
    slots = slots_on(DAYS)
    result = solve_roster(
        slots,
        [lawyer(1, group=("A",)), lawyer(2, group=("A",)), lawyer(3, days=DAYS[:1], group=("B",))],
    )
    assert result.uncovered == {}
    assert abs(result.counts[1] - result.counts[2]) <= 1
