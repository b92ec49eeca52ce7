"""Legal-help records: who may log, validation, drafts and signing, concurrent
edits, annotations, warnings and handover."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from cases.models import HelpRecord, RecordAnnotation
from cases.records import (
    case_help_warnings,
    handover_create,
    record_annotate,
    record_create,
    record_sign,
    record_update,
    records_visible_to,
)
from cases.services import case_assign
from dutylaw.errors import DomainError, StateHasChanged

pytestmark = pytest.mark.django_db


def times(minutes=40, ago=60):
    end = timezone.now() - timedelta(minutes=ago)
    return {"started_at": end - timedelta(minutes=minutes), "ended_at": end}


def meeting(**extra):
    return {**times(), "approval": "approved", "place": "朝阳区看守所会见室", **extra}


PLEA = {
    "lawyer_present": True,
    "rights_explained": True,
    "consequences_explained": True,
    "procedure_explained": True,
    "accused_understood": True,
    "no_pressure_seen": True,
}


def test_assigned_lawyer_logs_signed_record(case, duty):
    record = record_create(case=case, user=duty.user, kind="meeting", values=meeting())
    assert record.is_signed and record.signed_by == duty.user and record.lawyer == duty
    assert record.stage == case.stage and record.duration_minutes == 40


@pytest.mark.parametrize("who", ["other_lawyer", "counsel", "staff", "reviewer"])
def test_others_cannot_log(request, case, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    with pytest.raises(DomainError) as excinfo:
        record_create(case=case, user=user, kind="consultation", values={**times(), "summary": "x"})
    assert excinfo.value.items[0].code == "not_assigned"
    assert HelpRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "values", "field", "code"),
    [
        ("consultation", {**times(ago=-120), "summary": "x"}, "started_at", "future"),
        (
            "consultation",
            {
                "started_at": timezone.now() - timedelta(hours=1),
                "ended_at": timezone.now() - timedelta(hours=2),
                "summary": "x",
            },
            "ended_at",
            "end_before_start",
        ),
        ("consultation", {**times(minutes=60 * 25), "summary": "x"}, "ended_at", "too_long"),
        (
            "file_review",
            {**times(), "volumes_read": -1, "pages_read": 10, "excerpts_taken": False},
            "volumes_read",
            "min_value",
        ),
        (
            "file_review",
            {**times(), "volumes_read": 2, "pages_read": 10, "excerpts_taken": True},
            "excerpt_permission",
            "required",
        ),
        ("meeting", {**times(), "approval": "refused"}, "refusal_reason", "required"),
        ("meeting", {**times(), "approval": "approved"}, "place", "required"),
        ("plea_signing", {**times(), "lawyer_present": True}, "rights_explained", "required"),
        (
            "negotiation",
            {**times(), "prosecutor_proposal": "有期徒刑六个月"},
            "lawyer_opinion",
            "required",
        ),
        ("consultation", times(), "summary", "required"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(case, duty, kind, values, field, code):
    with pytest.raises(DomainError) as excinfo:
        record_create(case=case, user=duty.user, kind=kind, values=values)
    assert (field, code) in [(i.field, i.code) for i in excinfo.value.items]
    assert HelpRecord.objects.count() == 0


def test_database_refuses_a_record_over_a_day(case, duty):
    record = record_create(
        case=case, user=duty.user, kind="consultation", values={**times(), "summary": "咨询"}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpRecord.objects.filter(pk=record.pk).update(
            ended_at=record.started_at + timedelta(days=2)
        )


def test_student_drafts_mentor_signs(complex_case, student, mentor):
    draft = record_create(
        case=complex_case,
        user=student.user,
        kind="consultation",
        values={**times(), "summary": "学生起草的咨询记录"},
    )
    assert not draft.is_signed and draft.lawyer == mentor and draft.drafted_by == student
    with pytest.raises(DomainError):
        record_sign(record=draft, user=student.user, expected_version=draft.version)
    signed = record_sign(record=draft, user=mentor.user, expected_version=draft.version)
    assert signed.is_signed and signed.signed_by == mentor.user


def test_signed_records_cannot_change(case, duty):
    record = record_create(
        case=case, user=duty.user, kind="consultation", values={**times(), "summary": "咨询"}
    )
    with pytest.raises(DomainError) as excinfo:
        record_update(
            record=record, user=duty.user, values={"summary": "改"}, expected_version=record.version
        )
    assert excinfo.value.items[0].code == "signed"


def test_stale_edit_of_a_draft_is_refused(complex_case, student, mentor):
    draft = record_create(
        case=complex_case,
        user=student.user,
        kind="consultation",
        values={**times(), "summary": "v1"},
    )
    record_update(
        record=draft, user=mentor.user, values={"summary": "导师修改"}, expected_version=1
    )
    with pytest.raises(StateHasChanged):
        record_update(
            record=draft, user=student.user, values={"summary": "学生修改"}, expected_version=1
        )
    assert HelpRecord.objects.get(pk=draft.pk).summary == "导师修改"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_one_wins(complex_case, student, mentor):
    draft = record_create(
        case=complex_case,
        user=student.user,
        kind="consultation",
        values={**times(), "summary": "v1"},
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(user, text):
        try:
            barrier.wait()
            record_update(record=draft, user=user, values={"summary": text}, expected_version=1)
            outcomes.append("ok")
        except StateHasChanged:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(u, t))
        for u, t in ((student.user, "A"), (mentor.user, "B"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "stale"]
    assert HelpRecord.objects.get(pk=draft.pk).version == 2


def test_annotations_are_append_only(case, duty, staff, reviewer):
    record = record_create(
        case=case, user=duty.user, kind="consultation", values={**times(), "summary": "咨询"}
    )
    record_annotate(record=record, user=staff, text="已核实")
    with pytest.raises(DomainError):
        record_annotate(record=record, user=reviewer, text="审查员不能在此批注")
    with pytest.raises(InternalError), transaction.atomic():
        RecordAnnotation.objects.update(text="改")


def test_lawyer_never_sees_another_lawyers_records(case, duty, other_lawyer, staff):
    record_create(case=case, user=duty.user, kind="meeting", values=meeting())
    case_assign(case=case, lawyer=other_lawyer, role="duty_lawyer", acting_user=staff)
    assert records_visible_to(other_lawyer.user).count() == 0
    assert records_visible_to(duty.user).count() == 1
    assert records_visible_to(staff).count() == 1


def _signed(case, duty, kind, **values):
    return record_create(case=case, user=duty.user, kind=kind, values=values)


def test_warnings_where_help_is_a_formality(case, duty):
    _signed(case, duty, "plea_signing", **times(ago=30), **PLEA)
    _signed(case, duty, "meeting", **{**meeting(), **times(minutes=20, ago=200)})
    codes = {w.code for w in case_help_warnings(case=case, records=list(case.records.all()))}
    assert {
        "plea_without_file_review",
        "short_first_meeting",
        "no_written_opinion",
        "plea_without_negotiation",
    } <= codes
    assert "plea_without_meeting" not in codes


def test_no_warnings_when_help_is_real(case, duty):
    _signed(
        case,
        duty,
        "file_review",
        **times(ago=500),
        volumes_read=3,
        pages_read=210,
        excerpts_taken=False,
    )
    _signed(case, duty, "meeting", **{**meeting(), **times(minutes=45, ago=400)})
    _signed(
        case,
        duty,
        "negotiation",
        **times(ago=300),
        prosecutor_proposal="拘役三个月",
        lawyer_opinion="建议缓刑",
        agreed_recommendation="拘役二个月缓刑三个月",
        took_part=True,
    )
    _signed(case, duty, "plea_signing", **times(ago=200), **PLEA)
    _signed(case, duty, "written_opinion", **times(ago=100), summary="法律意见：建议适用缓刑。")
    assert case_help_warnings(case=case, records=list(case.records.all())) == []


def test_handover_summarises_own_records(case, duty):
    _signed(
        case,
        duty,
        "file_review",
        **times(ago=500),
        volumes_read=3,
        pages_read=210,
        excerpts_taken=False,
    )
    note = handover_create(
        case=case, user=duty.user, reviewed="", agreed="同意认罪认罚", open_points=""
    )
    assert "3" in note.summary and "210" in note.summary
    with pytest.raises(DomainError):
        handover_create(case=case, user=duty.user, reviewed=" ", agreed="", open_points="")


def test_closed_case_takes_no_records(case, duty):
    case.status = "closed"
    case.save()
    with pytest.raises(DomainError):
        record_create(
            case=case, user=duty.user, kind="consultation", values={**times(), "summary": "x"}
        )


# 00:30 in Shanghai, still the day before in UTC.
AT = datetime(2027, 3, 10, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.time_machine(AT, tick=False)  # the case is notified at AT too
@pytest.mark.parametrize(
    ("end", "allowed"),
    [
        (AT + timedelta(minutes=4), True),
        (AT + timedelta(minutes=5), True),  # the clock skew a phone may have (CLOCK_SKEW)
        (AT + timedelta(minutes=6), False),
    ],
)
def test_a_record_may_end_no_later_than_the_clock_skew_after_now(case, duty, end, allowed):
    values = {"started_at": end - timedelta(minutes=30), "ended_at": end, "summary": "x"}
    if allowed:
        record = record_create(
            case=case, user=duty.user, kind="consultation", values=values, now=AT
        )
        assert record.signed_at == AT
    else:
        with pytest.raises(DomainError) as excinfo:
            record_create(case=case, user=duty.user, kind="consultation", values=values, now=AT)
        assert [i.code for i in excinfo.value.items] == ["future"]


@pytest.mark.time_machine(AT, tick=False)
@pytest.mark.parametrize(
    ("minutes", "allowed"), [(24 * 60 - 1, True), (24 * 60, True), (24 * 60 + 1, False)]
)
def test_a_record_covers_at_most_one_day(case, duty, minutes, allowed):
    values = {"started_at": AT - timedelta(minutes=minutes), "ended_at": AT, "summary": "x"}
    if allowed:
        record_create(case=case, user=duty.user, kind="consultation", values=values, now=AT)
    else:
        with pytest.raises(DomainError) as excinfo:
            record_create(case=case, user=duty.user, kind="consultation", values=values, now=AT)
        assert [i.code for i in excinfo.value.items] == ["too_long"]


@pytest.mark.parametrize(
    ("before_notice", "allowed"),
    [
        (timedelta(days=365) - timedelta(minutes=1), True),
        (timedelta(days=365), True),  # a year before the notice is the earliest
        (timedelta(days=365) + timedelta(minutes=1), False),
    ],
)
def test_a_record_is_at_most_a_year_before_the_notice(case, duty, before_notice, allowed):
    start = case.created_at - before_notice
    values = {"started_at": start, "ended_at": start + timedelta(minutes=30), "summary": "x"}
    if allowed:
        record_create(case=case, user=duty.user, kind="consultation", values=values)
    else:
        with pytest.raises(DomainError) as excinfo:
            record_create(case=case, user=duty.user, kind="consultation", values=values)
        assert [i.code for i in excinfo.value.items] == ["too_early"]


def test_a_meeting_requested_in_the_year_one_is_refused(case, duty):
    values = {**meeting(), "requested_at": datetime(1, 1, 1, 12, tzinfo=ZoneInfo("UTC"))}
    with pytest.raises(DomainError) as excinfo:
        record_create(case=case, user=duty.user, kind="meeting", values=values)
    assert [(i.field, i.code) for i in excinfo.value.items] == [("requested_at", "too_early")]
    assert HelpRecord.objects.count() == 0
