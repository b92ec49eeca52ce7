"""Roster solver at full size: 300 lawyers, 40 workstations, 31 days, two
slots a day. Prints time, coverage and the spread of shift counts among
lawyers of equal availability (target: complete in under 30 s, spread <= 1).

Usage: .venv/bin/python bench/roster.py [--lawyers 300] [--workstations 40]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lawyers.roster_solver import LawyerOffer, SlotNeed, solve_roster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lawyers", type=int, default=300)
    parser.add_argument("--workstations", type=int, default=40)
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--preferred", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    rng = random.Random(7)
    start = date(2026, 12, 1)
    days = [start + timedelta(n) for n in range(args.days)]
    slots = [
        SlotNeed((ws, day, slot), ws, day, slot, 1, day.weekday() >= 5)
        for ws in range(args.workstations)
        for day in days
        for slot in ("am", "pm")
    ]
    everyone = frozenset(days)
    lawyers = [
        LawyerOffer(
            id=n,
            available_days=everyone,
            max_week=3,
            max_month=12,
            preferred=frozenset(rng.sample(range(args.workstations), args.preferred)),
            group=("all-days", 3, 12),
        )
        for n in range(args.lawyers)
    ]
    result = solve_roster(slots, lawyers, time_limit=args.time_limit, workers=os.cpu_count() or 2)
    needed = sum(s.need for s in slots)
    covered = needed - sum(result.uncovered.values())
    counts = [result.counts.get(lawyer.id, 0) for lawyer in lawyers]
    print(
        f"lawyers {args.lawyers}, workstations {args.workstations}, days {args.days}, "
        f"slots {len(slots)}, cores {os.cpu_count()}"
    )
    print(f"solver status: {result.status}")
    print(
        f"time: {result.seconds:.1f} s (target < 30 s: "
        f"{'met' if result.seconds < 30 else 'NOT met'})"
    )
    print(f"coverage: {covered}/{needed} = {100 * covered / needed:.1f}%")
    print(
        f"shifts per lawyer: min {min(counts)}, max {max(counts)}; spread {result.spread} "
        f"(target <= 1: {'met' if result.spread <= 1 else 'NOT met'})"
    )
    print(f"weekend duty spread: {result.weekend_spread}")


if __name__ == "__main__":
    main()
