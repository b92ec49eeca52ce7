"""The roster solver: OR-Tools CP-SAT over (lawyer, slot) choices.

Pure: it takes plain data and returns assignments, so it is tested on small
crafted cases with known answers and benchmarked at full size.

Model (numbered as the code builds it):
1. One boolean per (lawyer, slot) the lawyer may take: available that day (not
   on leave, a weekday they serve), at a preferred workstation if they have
   preferences. Pinned shifts are fixed and reduce what a slot still needs.
2. Coverage: each slot gets what it needs, or a slack counted as uncovered.
3. A lawyer serves at most once a day (no double booking, rest between shifts).
4. Weekly and monthly caps, net of pinned shifts.
5. Fairness within each group of lawyers with equal availability: the spread
   (most minus fewest) of shift counts, and of weekend and holiday duty.
6. Objective, in strict priority: cover every slot, then fairness of counts,
   then fairness of weekend duty, then preferences.
If slots stay uncovered, a second pass lets lawyers serve outside their
preferred workstations (preferences are honoured where possible).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

UNCOVERED_WEIGHT = 1_000_000
SPREAD_WEIGHT = 1_000
WEEKEND_SPREAD_WEIGHT = 100
OFF_PREFERENCE_WEIGHT = 1


@dataclass(frozen=True)
class SlotNeed:
    key: tuple  # (workstation_id, date, slot)
    workstation_id: int
    day: date
    slot: str
    need: int
    weekend: bool  # weekend or public holiday


@dataclass(frozen=True)
class LawyerOffer:
    id: int
    available_days: frozenset[date]
    max_week: int
    max_month: int
    preferred: frozenset[int] = frozenset()
    group: tuple = ()


@dataclass
class SolverResult:
    assignments: list[tuple[int, tuple]]  # (lawyer id, slot key)
    uncovered: dict[tuple, int]  # slot key -> seats left empty
    status: str
    seconds: float
    spread: int  # worst spread of shift counts within a group
    weekend_spread: int
    counts: dict[int, int] = field(default_factory=dict)


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso[0], iso[1]


def greedy_hint(slots, lawyers, pinned, *, allow_off_preference) -> set[tuple[int, tuple]]:
    """A quick balanced assignment to start the search from: slot by slot, the
    eligible lawyer with the fewest shifts (then fewest weekend shifts)."""
    slot_by_key = {s.key: s for s in slots}
    count, weekend, week = defaultdict(int), defaultdict(int), defaultdict(int)
    busy = set()
    need = {s.key: s.need for s in slots}
    for lawyer_id, key in pinned:
        if key in slot_by_key:
            slot = slot_by_key[key]
            count[lawyer_id] += 1
            weekend[lawyer_id] += slot.weekend
            week[lawyer_id, _week(slot.day)] += 1
            busy.add((lawyer_id, slot.day))
            need[key] -= 1
    chosen = set()
    for slot in sorted(slots, key=lambda s: (s.day, s.slot, s.workstation_id)):
        for _seat in range(max(0, need[slot.key])):
            best = None
            for lawyer in lawyers:
                if (
                    slot.day not in lawyer.available_days
                    or (lawyer.id, slot.day) in busy
                    or count[lawyer.id] >= lawyer.max_month
                    or week[lawyer.id, _week(slot.day)] >= lawyer.max_week
                ):
                    continue
                off = bool(lawyer.preferred) and slot.workstation_id not in lawyer.preferred
                if off and not allow_off_preference:
                    continue
                rank = (count[lawyer.id], weekend[lawyer.id] if slot.weekend else 0, off)
                if best is None or rank < best[0]:
                    best = (rank, lawyer.id)
            if best is None:
                break
            lawyer_id = best[1]
            chosen.add((lawyer_id, slot.key))
            count[lawyer_id] += 1
            weekend[lawyer_id] += slot.weekend
            week[lawyer_id, _week(slot.day)] += 1
            busy.add((lawyer_id, slot.day))
    return chosen


def _solve_once(slots, lawyers, pinned, *, allow_off_preference, time_limit, workers):
    model = cp_model.CpModel()
    slot_by_key = {s.key: s for s in slots}
    pinned_by_lawyer = defaultdict(list)
    pinned_per_slot = defaultdict(int)
    for lawyer_id, key in pinned:
        if key in slot_by_key:
            pinned_by_lawyer[lawyer_id].append(key)
            pinned_per_slot[key] += 1

    # 1. Choices.
    x: dict[tuple[int, tuple], cp_model.IntVar] = {}
    off_pref = []
    open_slots = [s for s in slots if s.need - pinned_per_slot[s.key] > 0]
    for lawyer in lawyers:
        busy_days = {slot_by_key[k].day for k in pinned_by_lawyer[lawyer.id]}
        for slot in open_slots:
            if slot.day not in lawyer.available_days or slot.day in busy_days:
                continue
            preferred = not lawyer.preferred or slot.workstation_id in lawyer.preferred
            if not preferred and not allow_off_preference:
                continue
            var = model.new_bool_var("")
            x[lawyer.id, slot.key] = var
            if not preferred:
                off_pref.append(var)

    by_slot = defaultdict(list)
    by_lawyer_day = defaultdict(list)
    by_lawyer_week = defaultdict(list)
    by_lawyer = defaultdict(list)
    weekend_by_lawyer = defaultdict(list)
    for (lawyer_id, key), var in x.items():
        slot = slot_by_key[key]
        by_slot[key].append(var)
        by_lawyer_day[lawyer_id, slot.day].append(var)
        by_lawyer_week[lawyer_id, _week(slot.day)].append(var)
        by_lawyer[lawyer_id].append(var)
        if slot.weekend:
            weekend_by_lawyer[lawyer_id].append(var)

    # 2. Coverage with slack.
    slack = {}
    for slot in open_slots:
        still = slot.need - pinned_per_slot[slot.key]
        slack[slot.key] = model.new_int_var(0, still, "")
        model.add(sum(by_slot[slot.key]) + slack[slot.key] == still)

    # 3. Once a day.
    for vars_ in by_lawyer_day.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)

    # 4. Caps, net of pinned shifts.
    offers = {lawyer.id: lawyer for lawyer in lawyers}
    pinned_week = defaultdict(int)
    for lawyer_id, keys in pinned_by_lawyer.items():
        for key in keys:
            pinned_week[lawyer_id, _week(slot_by_key[key].day)] += 1
    for (lawyer_id, week), vars_ in by_lawyer_week.items():
        left = max(0, offers[lawyer_id].max_week - pinned_week[lawyer_id, week])
        model.add(sum(vars_) <= left)
    totals, weekend_totals = {}, {}
    for lawyer in lawyers:
        keys = pinned_by_lawyer[lawyer.id]
        pinned_weekend = sum(1 for k in keys if slot_by_key[k].weekend)
        model.add(sum(by_lawyer[lawyer.id]) <= max(0, lawyer.max_month - len(keys)))
        totals[lawyer.id] = sum(by_lawyer[lawyer.id]) + len(keys)
        weekend_totals[lawyer.id] = sum(weekend_by_lawyer[lawyer.id]) + pinned_weekend

    # 5. Fairness within groups of equal availability.
    groups = defaultdict(list)
    for lawyer in lawyers:
        groups[lawyer.group].append(lawyer.id)
    spreads, weekend_spreads = [], []
    bounds = []  # (hi, lo, members, weekend?) to hint
    horizon = len({s.day for s in slots}) + 1
    for members in groups.values():
        if len(members) < 2:
            continue
        for source, bucket, is_weekend in (
            (totals, spreads, False),
            (weekend_totals, weekend_spreads, True),
        ):
            hi = model.new_int_var(0, horizon, "")
            lo = model.new_int_var(0, horizon, "")
            for lawyer_id in members:
                model.add(hi >= source[lawyer_id])
                model.add(lo <= source[lawyer_id])
            bucket.append(hi - lo)
            bounds.append((hi, lo, members, is_weekend))

    # 6. Objective, in priority order.
    model.minimize(
        UNCOVERED_WEIGHT * sum(slack.values())
        + SPREAD_WEIGHT * sum(spreads)
        + WEEKEND_SPREAD_WEIGHT * sum(weekend_spreads)
        + OFF_PREFERENCE_WEIGHT * sum(off_pref)
    )
    # A complete hint (every variable) from the greedy assignment: the search
    # starts from a full, balanced roster and only has to improve on it.
    hint = greedy_hint(slots, lawyers, pinned, allow_off_preference=allow_off_preference)
    hint &= set(x)
    for pair, var in x.items():
        model.add_hint(var, 1 if pair in hint else 0)
    filled = defaultdict(int)
    count, weekend_count = defaultdict(int), defaultdict(int)
    for lawyer_id, key in hint:
        filled[key] += 1
        count[lawyer_id] += 1
        weekend_count[lawyer_id] += slot_by_key[key].weekend
    for key, var in slack.items():
        model.add_hint(var, slot_by_key[key].need - pinned_per_slot[key] - filled[key])
    for lawyer_id, keys in pinned_by_lawyer.items():
        count[lawyer_id] += len(keys)
        weekend_count[lawyer_id] += sum(slot_by_key[k].weekend for k in keys)
    for hi, lo, members, is_weekend in bounds:
        source = weekend_count if is_weekend else count
        model.add_hint(hi, max(source[m] for m in members))
        model.add_hint(lo, min(source[m] for m in members))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status)
    chosen = [(lid, key) for (lid, key), var in x.items() if solver.boolean_value(var)]
    left = {key: solver.value(var) for key, var in slack.items() if solver.value(var) > 0}
    return (chosen, left), solver.status_name(status)


def solve_roster(
    slots: list[SlotNeed],
    lawyers: list[LawyerOffer],
    pinned: list[tuple[int, tuple]] = (),
    *,
    time_limit: float = 20.0,
    workers: int = 2,
) -> SolverResult:
    started = time.perf_counter()
    pinned = list(pinned)
    outcome, status = _solve_once(
        slots, lawyers, pinned, allow_off_preference=False, time_limit=time_limit, workers=workers
    )
    if outcome is None or outcome[1]:
        # Some slots stay empty within preferences: let lawyers serve elsewhere.
        remaining = max(1.0, time_limit - (time.perf_counter() - started))
        second, second_status = _solve_once(
            slots,
            lawyers,
            pinned,
            allow_off_preference=True,
            time_limit=remaining,
            workers=workers,
        )
        if second is not None and (
            outcome is None or sum(second[1].values()) <= sum(outcome[1].values())
        ):
            outcome, status = second, second_status
    seconds = time.perf_counter() - started
    if outcome is None:
        return SolverResult([], {s.key: s.need for s in slots}, status, seconds, 0, 0)
    chosen, uncovered = outcome
    slot_by_key = {s.key: s for s in slots}
    counts, weekend_counts = defaultdict(int), defaultdict(int)
    for lawyer_id, key in [*chosen, *pinned]:
        counts[lawyer_id] += 1
        if key in slot_by_key and slot_by_key[key].weekend:
            weekend_counts[lawyer_id] += 1
    groups = defaultdict(list)
    for lawyer in lawyers:
        groups[lawyer.group].append(lawyer.id)
    spread = weekend_spread = 0
    for members in groups.values():
        spread = max(spread, max(counts[m] for m in members) - min(counts[m] for m in members))
        weekend_spread = max(
            weekend_spread,
            max(weekend_counts[m] for m in members) - min(weekend_counts[m] for m in members),
        )
    return SolverResult(
        assignments=chosen,
        uncovered=uncovered,
        status=status,
        seconds=seconds,
        spread=spread,
        weekend_spread=weekend_spread,
        counts=dict(counts),
    )
