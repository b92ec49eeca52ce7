"""The deadline engine: rows opened and closed by services as things happen,
and a scan that beat runs every minute to remind and escalate.

The scan (numbered as in the code):
1. Claim open deadlines whose next check has come, with SELECT ... FOR UPDATE
   SKIP LOCKED over a partial index, so two scanners never take the same row
   and the cost grows with what is due, not with how many are open.
2. For each: the reminder points passed (e.g. 50% and 80% of the time) and, if
   due, the breach. Each alert is a unique row: a point is alerted once per
   person, however many scans or retries see it. After an outage, the scan
   catches up: every point passed is recorded, the latest is announced.
3. Set the next check (the next point, or the due time), or close as breached.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import Assignment, Case, Procedure
from lawyers.models import Role, User
from triage.inbox import in_language_of, notifications_send_many
from triage.models import Deadline, DeadlineKind, DeadlineState
from triage.workdays import add_days

# Kinds that only remind: when the time comes the deadline has simply passed.
REMINDER_ONLY = {DeadlineKind.HEARING}
BREACH = 100
ESCALATION = 101
SCAN_BATCH = 500


def _next_check(deadline: Deadline, now: datetime) -> datetime:
    span = deadline.due_at - deadline.starts_at
    for point in settings.DEADLINE_REMINDER_POINTS:
        moment = deadline.starts_at + span * point / 100
        if moment > now:
            return moment
    return deadline.due_at


Basis = tuple[str, dict]  # (English source text marked with gettext_noop, its parameters)


def deadline_open(
    *,
    case: Case,
    kind: str,
    due_at: datetime,
    starts_at: datetime | None = None,
    basis: Basis = ("", {}),
    now: datetime | None = None,
) -> Deadline:
    """Open (or move) the case's deadline of this kind. ``now`` is the moment
    it is opened (the first reminder point still ahead of it is the next check)."""
    now = now or timezone.now()
    starts_at = min(starts_at or now, due_at)
    deadline, _created = Deadline.objects.update_or_create(
        case=case,
        kind=kind,
        state=DeadlineState.OPEN,
        defaults={
            "starts_at": starts_at,
            "due_at": due_at,
            "basis": basis[0],
            "basis_params": basis[1],
        },
    )
    deadline.next_check_at = _next_check(deadline, now)
    deadline.save(update_fields=["next_check_at"])
    return deadline


def deadline_close(*, case: Case, kind: str, met: bool = True, now: datetime | None = None) -> int:
    """Close the open deadline of this kind: met, or cancelled when moot."""
    now = now or timezone.now()
    state = DeadlineState.MET if met else DeadlineState.CANCELLED
    return Deadline.objects.filter(case=case, kind=kind, state=DeadlineState.OPEN).update(
        state=state, closed_at=now, next_check_at=None, updated_at=now
    )


def prosecution_review_due(case: Case, start: datetime) -> tuple[datetime, Basis]:
    """CPL 172: fast-track 10 days (15 if the possible sentence is over a year);
    otherwise one month (extendable by 15 days, which the procuratorate reports)."""
    if case.procedure == Procedure.FAST_TRACK:
        over_a_year = (case.possible_sentence_max_months or 0) > 12
        days = 15 if over_a_year else 10
        return start + timedelta(days=days), (
            gettext_noop("CPL 172: fast-track, %(d)s days"),
            {"d": days},
        )
    local = timezone.localtime(start)
    month = local.month % 12 + 1
    year = local.year + (local.month == 12)
    try:
        due = local.replace(year=year, month=month)
    except ValueError:  # 31 January + one month
        due = (local.replace(day=1, year=year, month=month) + timedelta(days=31)).replace(day=1)
        due -= timedelta(days=1)
    return due, (gettext_noop("CPL 172: one month"), {})


def deadlines_new_case_rows(
    *, case: Case, mandatory_days: int = 3, now: datetime | None = None
) -> list[Deadline]:
    """Unsaved deadline rows of a case being notified (it has none yet), for
    ``case_notify`` to insert with the case."""
    now = now or timezone.now()
    rows = []
    for kind, due, basis in _new_case_deadlines(case, mandatory_days):
        deadline = Deadline(
            case=case,
            kind=kind,
            starts_at=min(case.created_at, due),
            due_at=due,
            basis=basis[0],
            basis_params=basis[1],
        )
        deadline.next_check_at = _next_check(deadline, now)
        rows.append(deadline)
    return rows


def _new_case_deadlines(case: Case, mandatory_days: int) -> list[tuple]:
    """What is due from a notice: a lawyer by the time needed (or, for
    mandatory defence, appointed within 3 working days of notice, LAL 36), and
    the prosecution-review limit."""
    notified = case.created_at
    wanted = []
    if case.mandatory_defence:
        day = add_days(timezone.localtime(notified).date(), mandatory_days, working=True)
        due = timezone.make_aware(datetime.combine(day, time(23, 59, 59)))
        wanted.append(
            (
                DeadlineKind.MANDATORY_APPOINTMENT,
                due,
                (gettext_noop("LAL 36: within 3 working days of notice"), {}),
            )
        )
    if case.needed_by:
        wanted.append(
            (
                DeadlineKind.ASSIGNMENT,
                case.needed_by,
                (gettext_noop("Lawyer needed by the procuratorate"), {}),
            )
        )
    if case.stage == "prosecution_review":
        due, basis = prosecution_review_due(case, notified)
        wanted.append((DeadlineKind.PROSECUTION_REVIEW, due, basis))
    return wanted


def deadlines_cancel_all(*, case: Case, now: datetime | None = None) -> int:
    """A closed or withdrawn case: nothing is due any more."""
    now = now or timezone.now()
    return Deadline.objects.filter(case=case, state=DeadlineState.OPEN).update(
        state=DeadlineState.CANCELLED, closed_at=now, next_check_at=None, updated_at=now
    )


def _ladder(deadlines: list[Deadline]) -> tuple[dict, dict]:
    """Who hears about each deadline, fetched for the whole batch at once: the
    assigned lawyer first; office staff when nobody is assigned or on breach."""
    case_ids = {d.case_id for d in deadlines}
    lawyers = {
        a.case_id: a.lawyer.user
        for a in Assignment.objects.filter(
            case_id__in=case_ids, ended_at__isnull=True
        ).select_related("lawyer__user")
    }
    staff = defaultdict(list)
    offices = {d.case.office_id for d in deadlines}
    for user in User.objects.filter(role=Role.STAFF, office_id__in=offices, is_active=True):
        staff[user.office_id].append(user)
    return lawyers, staff


def _recipients(deadline: Deadline, point: int, lawyers: dict, staff: dict) -> list[User]:
    lawyer = lawyers.get(deadline.case_id)
    office_staff = staff.get(deadline.case.office_id, [])
    if point >= BREACH:
        return ([lawyer] if lawyer else []) + office_staff
    return [lawyer] if lawyer else office_staff


def _claim_alerts(rows: list[tuple[int, int, int]], now: datetime) -> set[tuple[int, int, int]]:
    """Insert alert rows; return those that did not exist yet. The unique
    constraint makes each (deadline, point, person) happen once, ever."""
    if not rows:
        return set()
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params = [v for deadline_id, point, user_id in rows for v in (deadline_id, point, user_id, now)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO triage_deadlinealert (deadline_id, point, user_id, created_at) "  # noqa: S608 - placeholders only
            f"VALUES {values} ON CONFLICT DO NOTHING RETURNING deadline_id, point, user_id",
            params,
        )
        return set(cursor.fetchall())


def _message(deadline: Deadline, point: int, now: datetime) -> tuple[str, str]:
    if point >= BREACH:
        title = _("Deadline missed: %(kind)s") % {"kind": deadline.get_kind_display()}
    else:
        title = _("Deadline approaching (%(p)s%%): %(kind)s") % {
            "p": point,
            "kind": deadline.get_kind_display(),
        }
    left = deadline.due_at - now
    body = _("Case %(ref)s, due %(due)s (%(hours)s hours left).") % {
        "ref": deadline.case.external_ref,
        "due": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
        "hours": max(0, int(left.total_seconds() // 3600)),
    }
    return title, body


def deadlines_scan(*, now: datetime | None = None, batch: int = SCAN_BATCH) -> int:
    """One scan; returns how many deadlines it handled."""
    now = now or timezone.now()
    with transaction.atomic():
        # 1. Claim what is due, skipping rows another scanner holds.
        due = list(
            Deadline.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=DeadlineState.OPEN, next_check_at__lte=now)
            .select_related("case")
            .order_by("next_check_at")[:batch]
        )
        if not due:
            return 0
        lawyers, staff = _ladder(due)
        rows, announce = [], set()
        for deadline in due:
            span = deadline.due_at - deadline.starts_at
            passed = [
                p
                for p in settings.DEADLINE_REMINDER_POINTS
                if deadline.starts_at + span * p / 100 <= now
            ]
            breached = now >= deadline.due_at
            if breached and deadline.kind in REMINDER_ONLY:
                deadline.state, deadline.closed_at, deadline.next_check_at = (
                    DeadlineState.MET,
                    now,
                    None,
                )
                continue
            # 2. Record every point passed; announce only the latest.
            points = [*passed, BREACH] if breached else passed
            for point in points:
                for user in _recipients(deadline, point, lawyers, staff):
                    rows.append((deadline.id, point, user.id))
                    if point == points[-1]:
                        announce.add((deadline.id, point, user.id))
            # 3. The next time the scan has something to do here.
            if breached:
                deadline.state, deadline.closed_at, deadline.next_check_at = (
                    DeadlineState.BREACHED,
                    now,
                    None,
                )
            else:
                deadline.next_check_at = _next_check(deadline, now)
        new = _claim_alerts(rows, now)
        by_id = {d.id: d for d in due}
        users = {u.id: u for u in (*lawyers.values(), *(x for v in staff.values() for x in v))}
        notifications = []
        for deadline_id, point, user_id in sorted(new & announce):
            deadline, user = by_id[deadline_id], users[user_id]
            with in_language_of(user):
                title, body = _message(deadline, point, now)
            notifications.append((user, title, body, deadline.case))
        notifications_send_many(notifications)
        _save_progress(due, now)
    return len(due)


def _save_progress(deadlines: list[Deadline], now: datetime) -> None:
    """Write back state and next check of the batch in one statement (Django's
    bulk_update builds a CASE per row and costs more than the scan itself)."""
    rows = ", ".join(["(%s, %s, %s::timestamptz, %s::timestamptz)"] * len(deadlines))
    params = [v for d in deadlines for v in (d.id, d.state, d.closed_at, d.next_check_at)]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE triage_deadline AS d SET state = v.state, closed_at = v.closed_at, "  # noqa: S608 - placeholders only
            "next_check_at = v.next_check_at, updated_at = %s "
            f"FROM (VALUES {rows}) AS v(id, state, closed_at, next_check_at) WHERE d.id = v.id",
            [now, *params],
        )
