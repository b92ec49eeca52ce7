"""Services behind the intake API: notify a case (idempotently) and record the
procuratorate's later events."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import (
    ApiClient,
    Case,
    CaseStatus,
    Offence,
    OffenceTier,
    TimelineEntry,
    TimelineKind,
)
from cases.services import case_build
from dutylaw.db import from_row, insert_batches, select_list
from dutylaw.errors import Conflict, DomainError, ErrorItem
from lawyers.models import DetentionCentre
from triage.deadlines import (
    deadline_close,
    deadline_open,
    deadlines_cancel_all,
    deadlines_new_case_rows,
    prosecution_review_due,
)
from triage.models import DeadlineKind, TriagePolicy
from triage.outbox import outbox_put
from triage.services import triage_decide, triage_facts, triage_timeline_entry

EXTERNAL_REF_CONSTRAINT = "case_external_ref_unique"
MAX_CHARGES = 20  # as the intake serializer allows
MAX_CODE_LENGTH = 30  # charge and facility codes


def request_fingerprint(body) -> str:
    """SHA-256 of the body as canonical JSON: key order and spacing do not matter."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # surrogatepass: a lone surrogate (an escape in JSON) in a key no field
    # reads must not break hashing; other text hashes as plain UTF-8.
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NoticeReferences:
    """What a notice refers to, read in one query: each charged code's tiers
    (the version in force), the detention centre, the office's triage policy."""

    tiers: dict[str, dict[int, OffenceTier]] = field(default_factory=dict)
    facility: DetentionCentre | None = None
    policy: TriagePolicy | None = None


@functools.cache
def _references_sql() -> str:
    """The SELECT of ``notice_references``: names from the models, values as parameters."""
    return (
        f"SELECT {select_list(TriagePolicy, 'p')}, {select_list(DetentionCentre, 'f')}, "  # noqa: S608
        f"{select_list(Offence, 'o')}, {select_list(OffenceTier, 't')} "
        "FROM (SELECT 1) AS one "
        "LEFT JOIN LATERAL ("
        f"  SELECT * FROM {TriagePolicy._meta.db_table} WHERE office_id = %s"
        "   ORDER BY version DESC LIMIT 1"
        ") p ON true "
        f"LEFT JOIN {DetentionCentre._meta.db_table} f ON f.code = %s "
        f"LEFT JOIN ({Offence._meta.db_table} o "
        f"  LEFT JOIN {OffenceTier._meta.db_table} t ON t.offence_id = o.id"
        ") ON o.code = ANY(%s) AND o.effective_from <= %s "
        "ORDER BY o.code, o.effective_from DESC, t.tier"
    )


def notice_references(
    *,
    codes: Sequence[str] = (),
    facility_code: str | None = None,
    office_id: int | None = None,
    on: date | None = None,
) -> NoticeReferences:
    """The catalogue tiers of ``codes`` in force on ``on`` (today; a code's
    entry is empty if its version in force has no tiers yet), the detention
    centre with ``facility_code`` and the office's newest policy, in one round
    trip: this runs on every notice, where each query costs a wait for the
    database. Hand-written SQL."""
    on = on or timezone.localdate()
    sql = _references_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [office_id, facility_code, list(codes), on])
        rows = cursor.fetchall()
    tiers: dict[str, dict[int, OffenceTier]] = {}
    version: dict[str, date] = {}
    offences: dict[int, Offence] = {}
    policy = facility = None
    for row in rows:
        policy, end = from_row(TriagePolicy, row)
        facility, end = from_row(DetentionCentre, row, end)
        offence, end = from_row(Offence, row, end)
        if offence is None:
            continue
        offence = offences.setdefault(offence.pk, offence)
        # The newest version in force decides, even before its tiers are entered.
        if version.setdefault(offence.code, offence.effective_from) != offence.effective_from:
            continue
        in_force = tiers.setdefault(offence.code, {})
        tier = from_row(OffenceTier, row, end)[0]
        if tier is not None:
            tier.offence = offence
            in_force[tier.tier] = tier
    return NoticeReferences(tiers=tiers, facility=facility, policy=policy)


def references_of_notice(body, *, office_id: int) -> NoticeReferences:
    """``notice_references`` for a request body not yet validated: the codes
    and facility code it names where they could be valid (anything else is the
    validator's to report)."""

    def plain(value):
        """The code as CharField would clean it, if it could be a valid one."""
        if not isinstance(value, str) or len(value) > MAX_CODE_LENGTH or "\x00" in value:
            return None
        try:
            value.encode("utf-8")  # lone surrogates (escaped in JSON) are refused
        except UnicodeEncodeError:
            return None
        return value.strip() or None

    body = body if isinstance(body, dict) else {}
    charges = body.get("charges")
    charges = charges[:MAX_CHARGES] if isinstance(charges, list) else []
    codes = [code for c in charges if isinstance(c, dict) and (code := plain(c.get("code")))]
    custody = body.get("custody")
    return notice_references(
        codes=codes,
        facility_code=plain(custody.get("facility_code")) if isinstance(custody, dict) else None,
        office_id=office_id,
    )


def _violated_constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def case_intake(
    *,
    client: ApiClient,
    data: dict,
    fingerprint: str,
    policy: TriagePolicy | None = None,
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Store and triage a notified case; return (case, created). ``policy``:
    the office's current triage policy, if the caller has read it; ``now``:
    the moment of notice (the clock by default).

    Idempotent through the database: the unique (procuratorate, external_ref)
    constraint decides which of many concurrent identical requests creates the
    case. The others wait on the index, fail, and find the winner's case: the
    same body returns it (created=False); a different body is a Conflict.
    """
    procuratorate = client.procuratorate
    accused = data["accused"]
    now = now or timezone.now()
    # Triage is a pure function of the notice, so the case is stored once,
    # already triaged, rather than inserted and then updated.
    facts = triage_facts(
        tiers=data["charges"],
        possible_sentence_max_months=data.get("possible_sentence_max_months"),
        flags=data.get("flags", []),
        file_volumes=data.get("file_volumes", 0),
        co_accused_refs=data.get("co_accused_refs", []),
        birth_date=accused.get("birth_date"),
        disabilities=accused.get("disabilities", []),
        on=timezone.localtime(now).date(),
    )
    decision, notice_sufficient = triage_decide(
        facts=facts,
        office_id=procuratorate.office_id,
        procedure=data["procedure"],
        notified_at=now,
        needed_by=data.get("needed_by"),
        policy=policy,
    )
    custody = data.get("custody") or {}
    case, rows = case_build(
        procuratorate=procuratorate,
        external_ref=data["external_ref"],
        procedure=data["procedure"],
        stage=data["stage"],
        plea=data.get("plea"),
        accused={
            "name": accused["name"],
            "id_number": accused.get("id_number", ""),
            "gender": accused.get("gender", ""),
            "birth_date": accused.get("birth_date"),
            "ethnicity": accused.get("ethnicity", ""),
            "language": accused.get("language") or "zh",
            "disabilities": accused.get("disabilities", []),
        },
        charges=data["charges"],
        possible_sentence_max_months=data.get("possible_sentence_max_months"),
        file_volumes=data.get("file_volumes", 0),
        flags=data.get("flags", []),
        co_accused_refs=data.get("co_accused_refs", []),
        custody_measure=custody.get("measure", ""),
        detention_centre=custody.get("facility"),
        needed_by=data.get("needed_by"),
        notice_sufficient=notice_sufficient,
        tier=decision.tier,
        mandatory_defence=decision.mandatory_defence,
        intake_fingerprint=fingerprint,
    )
    case.created_at = case.updated_at = now
    decision.case = case
    timeline = [
        TimelineEntry(
            case=case,
            kind=TimelineKind.NOTIFIED,
            at=now,
            actor=client.user,
            data={"procuratorate": procuratorate.code, "client": client.name},
        ),
        triage_timeline_entry(decision),
    ]
    # Every row of the notice in one round trip, the case first (the unique
    # external reference decides between concurrent repeats).
    batches = [[case], *rows, [decision], timeline, deadlines_new_case_rows(case=case, now=now)]
    auto_assign = decision.policy.auto_assign
    try:
        if auto_assign or connection.in_atomic_block:
            # A transaction (a savepoint inside the caller's, so that a
            # repeat's failure leaves it usable), with the outbox message.
            with transaction.atomic():
                insert_batches(*batches)
                if auto_assign:
                    outbox_put("triage.tasks.auto_assign", str(case.pk))
        else:
            # Statements sent together run as one transaction, which the
            # server commits when the last succeeds: no COMMIT round trip.
            insert_batches(*batches)
        # The response is built from memory: a new case has no lawyer yet.
        case.history = []
        case.decisions = [decision]
    except IntegrityError as exc:
        if _violated_constraint(exc) != EXTERNAL_REF_CONSTRAINT:
            raise
        existing = Case.objects.get(procuratorate=procuratorate, external_ref=data["external_ref"])
        if existing.intake_fingerprint != fingerprint:
            raise Conflict(
                ErrorItem(
                    "external_ref",
                    "conflict",
                    _("A case with this reference was notified with different content."),
                ),
                extra={"id": str(existing.pk)},
            ) from None
        return existing, False
    return case, True


@transaction.atomic
def case_record_event(*, case: Case, data: dict, actor, now: datetime | None = None) -> Case:
    """Apply a procuratorate's event to the case and put it on the timeline."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    kind = data["type"]
    if not case.is_open:
        raise DomainError.single(
            "type", "case_closed", _("The case is closed or withdrawn; no further events.")
        )
    now = now or timezone.now()
    fields = ["updated_at"]
    entry: dict = {}
    if kind == "stage_changed":
        if case.stage == data["stage"]:
            return case  # a repeat of the same change: nothing to do
        entry = {"from": case.stage, "to": data["stage"]}
        if case.stage == "prosecution_review":
            deadline_close(case=case, kind=DeadlineKind.PROSECUTION_REVIEW, now=now)
        case.stage = data["stage"]
        fields.append("stage")
        if data["stage"] == "prosecution_review":
            due, basis = prosecution_review_due(case, now)
            deadline_open(
                case=case,
                kind=DeadlineKind.PROSECUTION_REVIEW,
                due_at=due,
                starts_at=now,
                basis=basis,
                now=now,
            )
    elif kind == "hearing_scheduled":
        case.hearing_at = data["at"]
        case.hearing_court = data.get("court")
        fields += ["hearing_at", "hearing_court"]
        entry = {"at": data["at"].isoformat(), "court": data.get("court_code", "")}
        deadline_open(
            case=case,
            kind=DeadlineKind.HEARING,
            due_at=data["at"],
            basis=(gettext_noop("Hearing scheduled by the procuratorate"), {}),
            now=now,
        )
    elif kind == "plea_signing_scheduled":
        case.plea_signing_at = data["at"]
        fields.append("plea_signing_at")
        entry = {"at": data["at"].isoformat()}
        deadline_open(
            case=case,
            kind=DeadlineKind.PLEA_SIGNING,
            due_at=data["at"],
            basis=(gettext_noop("Plea signing scheduled by the procuratorate"), {}),
            now=now,
        )
    elif kind in ("withdrawn", "closed"):
        case.status = CaseStatus.WITHDRAWN if kind == "withdrawn" else CaseStatus.CLOSED
        case.closed_at = now
        case.outcome = data.get("outcome") or data.get("reason") or ""
        fields += ["status", "closed_at", "outcome"]
        entry = {"text": case.outcome}
        deadlines_cancel_all(case=case, now=now)
    case.save(update_fields=fields)
    TimelineEntry.objects.create(case=case, kind=kind, at=now, actor=actor, data=entry)
    return case
