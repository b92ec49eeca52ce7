"""Notify a case, idempotently (the one way a case comes into being), and
record the procuratorate's later events."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import Case, CaseCharge, CaseStatus, TimelineEntry, TimelineKind
from cases.services import case_build
from dutylaw.errors import Conflict, DomainError, ErrorItem
from lawyers.models import Procuratorate, User
from triage.deadlines import (
    deadline_close,
    deadline_open,
    deadlines_cancel_all,
    deadlines_new_case_rows,
    prosecution_review_due,
)
from triage.models import Deadline, DeadlineKind
from triage.outbox import outbox_put
from triage.services import triage_decide, triage_facts, triage_timeline_entry

EXTERNAL_REF_CONSTRAINT = "case_external_ref_unique"


def request_fingerprint(body) -> str:
    """SHA-256 of the body as canonical JSON: key order and spacing do not matter."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # surrogatepass: a lone surrogate (an escape in JSON) in a key no field
    # reads must not break hashing; other text hashes as plain UTF-8.
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _violated_constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def case_notify(
    *,
    procuratorate: Procuratorate,
    data: dict,
    at: datetime | None = None,
    actor: User | None = None,
    source: str = "",
    fingerprint: str = "",
) -> tuple[Case, bool]:
    """Store and triage a notified case; return (case, created). The one way
    a case comes into being: the intake API, staff entry, the demo and the
    tests' factories all notify through here.

    ``data`` is a validated notice (``CaseIntakeSerializer``'s output: charges
    as catalogue tiers, custody with its facility). ``at`` is the moment of
    notice (the clock by default); every row the notice creates carries it.
    ``actor`` and ``source`` say who notified (an API client's user and name,
    or a staff member).

    Idempotent through the database: the unique (procuratorate, external_ref)
    constraint decides which of many concurrent identical requests creates the
    case. The others wait on the index, fail, and find the winner's case: the
    same body returns it (created=False); a different body is a Conflict.
    """
    accused = data["accused"]
    now = at or timezone.now()
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
    )
    custody = data.get("custody") or {}
    case, (accused_rows, charge_rows) = case_build(
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
    try:
        # A savepoint inside a caller's transaction, so that a repeat's
        # failure leaves it usable.
        with transaction.atomic():
            case.save(force_insert=True)
            accused_rows[0].save(force_insert=True)
            CaseCharge.objects.bulk_create(charge_rows)
            decision.save(force_insert=True)
            TimelineEntry.objects.bulk_create(
                [
                    TimelineEntry(
                        case=case,
                        kind=TimelineKind.NOTIFIED,
                        at=now,
                        actor=actor,
                        data={"procuratorate": procuratorate.code, "client": source},
                    ),
                    triage_timeline_entry(decision),
                ]
            )
            Deadline.objects.bulk_create(deadlines_new_case_rows(case=case, now=now))
            if decision.policy.auto_assign:
                outbox_put("triage.tasks.auto_assign", str(case.pk))
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
    case.notified_decision = decision  # for a response built without reading it back
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
