"""Services and selectors for legal-help records, handover notes and the
warnings that show when help has become a formality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Approval,
    Case,
    CaseUserObjectPermission,
    HandoverNote,
    HelpRecord,
    RecordAnnotation,
    RecordKind,
    RecordStatus,
)
from cases.selectors import VIEW_CASE, case_current_assignment
from dutylaw.errors import DomainError, ErrorItem, StateHasChanged
from lawyers.models import Lawyer, LawyerKind, Role, User

CLOCK_SKEW = timedelta(minutes=5)
MAX_DURATION = timedelta(days=1)
# Help may come before the procuratorate's notice (a detainee asks at the
# workstation first), but not long before: a year is the earliest a record may be.
EARLIEST_BEFORE_NOTICE = timedelta(days=365)
FIRST_MEETING_MINUTES = 30

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    RecordKind.CONSULTATION: (),
    RecordKind.PROCEDURE_ADVICE: (),
    RecordKind.MEASURE_CHANGE: ("measure_result",),
    RecordKind.CASE_OPINION: (),
    RecordKind.FILE_REVIEW: ("volumes_read", "pages_read", "excerpts_taken", "excerpt_permission"),
    RecordKind.MEETING: (
        "requested_at",
        "approval",
        "approval_by",
        "refusal_reason",
        "place",
        "interpreter",
    ),
    RecordKind.NEGOTIATION: (
        "prosecutor_proposal",
        "lawyer_opinion",
        "agreed_recommendation",
        "took_part",
    ),
    RecordKind.PLEA_SIGNING: (
        "lawyer_present",
        "rights_explained",
        "consequences_explained",
        "procedure_explained",
        "accused_understood",
        "no_pressure_seen",
        "objections",
        "recording_ref",
    ),
    RecordKind.RETRACTION: ("retraction_reason",),
    RecordKind.WRITTEN_OPINION: (),
}
CHECKLIST = (
    "rights_explained",
    "consequences_explained",
    "procedure_explained",
    "accused_understood",
    "no_pressure_seen",
)
REQUIRED: dict[str, tuple[str, ...]] = {
    RecordKind.CONSULTATION: ("summary",),
    RecordKind.PROCEDURE_ADVICE: ("summary",),
    RecordKind.MEASURE_CHANGE: ("measure_result", "summary"),
    RecordKind.CASE_OPINION: ("summary",),
    RecordKind.FILE_REVIEW: ("volumes_read", "pages_read", "excerpts_taken"),
    RecordKind.MEETING: ("approval",),
    RecordKind.NEGOTIATION: ("prosecutor_proposal", "lawyer_opinion", "took_part"),
    RecordKind.PLEA_SIGNING: ("lawyer_present", *CHECKLIST),
    RecordKind.RETRACTION: ("retraction_reason",),
    RecordKind.WRITTEN_OPINION: ("summary",),
}
EDITABLE = ("started_at", "ended_at", "summary")


# --- Who may write ---------------------------------------------------------------


@dataclass(frozen=True)
class Authorship:
    lawyer: Lawyer  # the licensed lawyer responsible
    drafted_by: Lawyer | None  # the student, for drafts


def record_authorship(*, user: User, case: Case) -> Authorship:
    """The assigned lawyer writes signed records; their student, granted on the
    case, writes drafts for them. Anyone else is refused."""
    lawyer = getattr(user, "lawyer", None) if user.role == Role.LAWYER else None
    current = case_current_assignment(case)
    if lawyer is not None and lawyer.active and current is not None:
        if current.lawyer_id == lawyer.id:
            return Authorship(lawyer=lawyer, drafted_by=None)
        granted = CaseUserObjectPermission.objects.filter(
            user=user, content_object=case, permission__codename=VIEW_CASE
        ).exists()
        if lawyer.kind == LawyerKind.STUDENT and lawyer.mentor_id == current.lawyer_id and granted:
            return Authorship(lawyer=current.lawyer, drafted_by=lawyer)
    raise DomainError.single(
        "case", "not_assigned", _("Only the lawyer assigned to this case can log work on it.")
    )


# --- Validation ----------------------------------------------------------------------


def _validate(kind: str, values: dict, now: datetime, case: Case) -> None:
    problems: list[ErrorItem] = []
    started, ended = values.get("started_at"), values.get("ended_at")
    earliest = case.created_at - EARLIEST_BEFORE_NOTICE
    too_early = _("This is more than a year before the case was notified.")
    for name in ("started_at", "ended_at", "requested_at"):
        if values.get(name) is not None and values[name] < earliest:
            problems.append(ErrorItem(name, "too_early", too_early))
    if started is None:
        problems.append(ErrorItem("started_at", "required", _("Give the start time.")))
    if ended is None:
        problems.append(ErrorItem("ended_at", "required", _("Give the end time.")))
    if started and started > now + CLOCK_SKEW:
        problems.append(ErrorItem("started_at", "future", _("The start is in the future.")))
    if ended and ended > now + CLOCK_SKEW:
        problems.append(ErrorItem("ended_at", "future", _("The end is in the future.")))
    if started and ended and ended < started:
        problems.append(
            ErrorItem("ended_at", "end_before_start", _("The end is before the start."))
        )
    if started and ended and ended - started > MAX_DURATION:
        problems.append(ErrorItem("ended_at", "too_long", _("A record covers at most one day.")))
    for name in REQUIRED.get(kind, ()):
        if values.get(name) in (None, ""):
            problems.append(ErrorItem(name, "required", _("This field is required.")))
    for name in ("volumes_read", "pages_read"):
        if values.get(name) is not None and values[name] < 0:
            problems.append(ErrorItem(name, "min_value", _("This cannot be below zero.")))
    if values.get("excerpts_taken") and not values.get("excerpt_permission"):
        problems.append(
            ErrorItem(
                "excerpt_permission",
                "required",
                _("Excerpts need a permission on record: the law allows reading only."),
            )
        )
    if kind == RecordKind.MEETING:
        if values.get("approval") == Approval.REFUSED and not values.get("refusal_reason"):
            problems.append(
                ErrorItem("refusal_reason", "required", _("Say why the meeting was refused."))
            )
        if values.get("approval") == Approval.APPROVED and not values.get("place"):
            problems.append(ErrorItem("place", "required", _("Say where the meeting was held.")))
        requested = values.get("requested_at")
        if requested and requested > now + CLOCK_SKEW:
            problems.append(ErrorItem("requested_at", "future", _("The request is in the future.")))
        if requested and started and requested > started:
            problems.append(
                ErrorItem(
                    "requested_at",
                    "after_start",
                    _("The meeting was requested after it started."),
                )
            )
    if problems:
        raise DomainError(*problems)


def _clean_values(kind: str, values: dict) -> dict:
    """Keep the common fields and the kind's own; drop everything else."""
    allowed = (*EDITABLE, *KIND_FIELDS[kind])
    return {name: values.get(name) for name in allowed if name in values}


# --- Records -------------------------------------------------------------------------


@transaction.atomic
def record_create(
    *, case: Case, user: User, kind: str, values: dict, now: datetime | None = None
) -> HelpRecord:
    """Log an act of legal help. A lawyer's record is signed at once; a
    student's is a draft for the mentor. ``now``: the moment it is logged
    (nothing in it may be later, give or take the clock skew)."""
    if kind not in RecordKind.values:
        raise DomainError.single("kind", "invalid_choice", _("Unknown kind of record."))
    if not case.is_open:
        raise DomainError.single("case", "case_closed", _("The case is no longer open."))
    authorship = record_authorship(user=user, case=case)
    now = now or timezone.now()
    values = _clean_values(kind, values)
    _validate(kind, values, now, case)
    record = HelpRecord(
        case=case,
        kind=kind,
        stage=case.stage,
        lawyer=authorship.lawyer,
        drafted_by=authorship.drafted_by,
        **{k: v for k, v in values.items() if v is not None},
    )
    if authorship.drafted_by is None:
        record.status = RecordStatus.SIGNED
        record.signed_at = now
        record.signed_by = user
    record.save()
    if kind == RecordKind.PLEA_SIGNING:
        from triage.deadlines import deadline_close
        from triage.models import DeadlineKind

        deadline_close(case=case, kind=DeadlineKind.PLEA_SIGNING, now=now)
    return record


def _may_edit(record: HelpRecord, user: User) -> bool:
    lawyer = getattr(user, "lawyer", None)
    return lawyer is not None and lawyer.id in (record.lawyer_id, record.drafted_by_id)


def _conditional_update(
    record: HelpRecord, expected_version: int, now: datetime, **changes
) -> HelpRecord:
    """Apply ``changes`` only if the draft is still the version the user saw."""
    updated = HelpRecord.objects.filter(
        pk=record.pk, version=expected_version, status=RecordStatus.DRAFT
    ).update(version=F("version") + 1, updated_at=now, **changes)
    if not updated:
        current = HelpRecord.objects.get(pk=record.pk)
        if current.is_signed:
            raise DomainError.single(
                "record", "signed", _("Signed records cannot be changed; add an annotation.")
            )
        raise StateHasChanged(
            ErrorItem(
                "record",
                "state_changed",
                _("Someone changed this record meanwhile. Reload and try again."),
            )
        )
    return HelpRecord.objects.get(pk=record.pk)


def record_update(
    *,
    record: HelpRecord,
    user: User,
    values: dict,
    expected_version: int,
    now: datetime | None = None,
) -> HelpRecord:
    """Edit a draft (its student or the mentor). Signed records are final."""
    if record.is_signed:
        raise DomainError.single(
            "record", "signed", _("Signed records cannot be changed; add an annotation.")
        )
    if not _may_edit(record, user):
        raise DomainError.single("record", "not_author", _("Only its authors can edit a draft."))
    values = _clean_values(record.kind, values)
    merged = {name: getattr(record, name) for name in (*EDITABLE, *KIND_FIELDS[record.kind])}
    merged.update(values)
    now = now or timezone.now()
    _validate(record.kind, merged, now, record.case)
    return _conditional_update(record, expected_version, now, **values)


def record_sign(
    *, record: HelpRecord, user: User, expected_version: int, now: datetime | None = None
) -> HelpRecord:
    """The mentor signs a student's draft; from now on it counts."""
    lawyer = getattr(user, "lawyer", None)
    if lawyer is None or lawyer.id != record.lawyer_id or lawyer.kind == LawyerKind.STUDENT:
        raise DomainError.single(
            "record", "not_mentor", _("Only the responsible lawyer can sign this record.")
        )
    now = now or timezone.now()
    return _conditional_update(
        record,
        expected_version,
        now,
        status=RecordStatus.SIGNED,
        signed_at=now,
        signed_by_id=user.pk,
    )


def record_annotate(*, record: HelpRecord, user: User, text: str) -> RecordAnnotation:
    """Add a note to a record; the only change a signed record takes."""
    text = (text or "").strip()
    if not text:
        raise DomainError.single("text", "required", _("Write the annotation."))
    lawyer = getattr(user, "lawyer", None)
    is_author = lawyer is not None and lawyer.id in (record.lawyer_id, record.drafted_by_id)
    is_staff = user.role == Role.STAFF and user.office_id == record.case.office_id
    if not (is_author or is_staff or user.is_superuser):
        raise DomainError.single(
            "text", "not_allowed", _("Only the record's lawyers and office staff can annotate.")
        )
    return RecordAnnotation.objects.create(record=record, author=user, text=text)


# --- Reading ---------------------------------------------------------------------------


def records_visible_to(user: User) -> QuerySet[HelpRecord]:
    """Records a user may read. A lawyer sees their own (and their mentor's or
    student's, as a team), never another lawyer's."""
    records = HelpRecord.objects.all()
    if not user.is_authenticated or not user.is_active:
        return records.none()
    if user.is_superuser or user.role in (Role.ADMIN, Role.REVIEWER):
        return records
    if user.role == Role.STAFF:
        return records.filter(case__office_id=user.office_id)
    lawyer = getattr(user, "lawyer", None)
    if user.role != Role.LAWYER or lawyer is None:
        return records.none()
    if lawyer.kind == LawyerKind.STUDENT:
        return records.filter(Q(drafted_by=lawyer) | Q(lawyer_id=lawyer.mentor_id))
    return records.filter(Q(lawyer=lawyer) | Q(drafted_by=lawyer))


def case_records(*, user: User, case: Case) -> list[HelpRecord]:
    annotations = RecordAnnotation.objects.select_related("author")
    return list(
        records_visible_to(user)
        .filter(case=case)
        .select_related("lawyer__user", "drafted_by__user", "signed_by")
        .prefetch_related(Prefetch("annotations", annotations))
        .order_by("-started_at", "-id")
    )


def record_get(*, user: User, case: Case, record_id: int) -> HelpRecord:
    return get_object_or_404(
        records_visible_to(user)
        .filter(case=case)
        .select_related("lawyer__user", "drafted_by__user", "signed_by", "case"),
        pk=record_id,
    )


# --- Warnings where help becomes a formality ----------------------------------------------


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


WARNING_TEXT = {
    "plea_without_file_review": gettext_lazy(
        "The plea agreement was signed with no file review logged before it."
    ),
    "plea_without_meeting": gettext_lazy(
        "The plea agreement was signed with no meeting with the accused logged before it."
    ),
    "plea_lawyer_absent": gettext_lazy("The lawyer was not present at the plea signing."),
    "short_first_meeting": gettext_lazy(
        "The first meeting lasted %(minutes)s minutes, under the %(limit)s the first-contact "
        "standard asks for."
    ),
    "no_written_opinion": gettext_lazy("No written legal opinion has been signed."),
    "plea_without_negotiation": gettext_lazy(
        "The lawyer took part in no sentencing negotiation before the plea signing."
    ),
}


def case_help_warnings(*, case: Case, records: list[HelpRecord]) -> list[Warning]:
    """Warnings computed from the signed records of the case (any lawyer's)."""
    signed = sorted((r for r in records if r.is_signed), key=lambda r: r.started_at)
    by_kind: dict[str, list[HelpRecord]] = {}
    for record in signed:
        by_kind.setdefault(record.kind, []).append(record)
    found: list[tuple[str, dict]] = []
    meetings = [m for m in by_kind.get(RecordKind.MEETING, []) if m.approval == Approval.APPROVED]
    pleas = by_kind.get(RecordKind.PLEA_SIGNING, [])
    if pleas:
        first_plea = pleas[0].started_at
        if not any(r.started_at <= first_plea for r in by_kind.get(RecordKind.FILE_REVIEW, [])):
            found.append(("plea_without_file_review", {}))
        if not any(m.started_at <= first_plea for m in meetings):
            found.append(("plea_without_meeting", {}))
        if any(p.lawyer_present is False for p in pleas):
            found.append(("plea_lawyer_absent", {}))
        if not any(
            n.took_part and n.started_at <= first_plea
            for n in by_kind.get(RecordKind.NEGOTIATION, [])
        ):
            found.append(("plea_without_negotiation", {}))
    if meetings and meetings[0].duration_minutes < FIRST_MEETING_MINUTES:
        found.append(
            (
                "short_first_meeting",
                {"minutes": meetings[0].duration_minutes, "limit": FIRST_MEETING_MINUTES},
            )
        )
    if (pleas or not case.is_open) and not by_kind.get(RecordKind.WRITTEN_OPINION):
        found.append(("no_written_opinion", {}))
    return [Warning(code, str(WARNING_TEXT[code]) % params) for code, params in found]


# --- Handover ---------------------------------------------------------------------------


def records_summary(records: list[HelpRecord]) -> str:
    """A plain summary of the signed records, for the next lawyer."""
    lines = []
    for record in sorted((r for r in records if r.is_signed), key=lambda r: r.started_at):
        when = timezone.localtime(record.started_at).strftime("%Y-%m-%d")
        line = f"{when} {record.get_kind_display()}"
        if record.kind == RecordKind.FILE_REVIEW:
            line += _(": %(v)s volumes, %(p)s pages") % {
                "v": record.volumes_read,
                "p": record.pages_read,
            }
        elif record.kind == RecordKind.NEGOTIATION and record.agreed_recommendation:
            line += _(": agreed %(text)s") % {"text": record.agreed_recommendation}
        elif record.kind == RecordKind.MEETING:
            line += _(": %(m)s minutes") % {"m": record.duration_minutes}
        lines.append(line)
    return "\n".join(lines)


@transaction.atomic
def handover_create(
    *, case: Case, user: User, reviewed: str, agreed: str, open_points: str
) -> HandoverNote:
    """The assigned lawyer leaves a note for whoever takes the case next."""
    authorship = record_authorship(user=user, case=case)
    if authorship.drafted_by is not None:
        raise DomainError.single(
            "case", "not_assigned", _("The responsible lawyer writes the handover note.")
        )
    if not any(v.strip() for v in (reviewed, agreed, open_points)):
        raise DomainError.single("reviewed", "required", _("Write at least one part of the note."))
    own = list(case.records.filter(lawyer=authorship.lawyer))
    return HandoverNote.objects.create(
        case=case,
        stage=case.stage,
        from_lawyer=authorship.lawyer,
        reviewed=reviewed.strip(),
        agreed=agreed.strip(),
        open_points=open_points.strip(),
        summary=records_summary(own),
    )
