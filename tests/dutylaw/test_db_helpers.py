"""The hot-path database helpers write and read what the ORM would."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.models import Accused, Case, CaseCharge, TimelineEntry, TimelineKind
from cases.services import case_build
from dutylaw.db import insert_batches, select_models
from tests.factories import make_case, valid_id_number
from triage.models import TriageDecision, TriagePolicy
from triage.services import policy_current

pytestmark = pytest.mark.django_db


def _build(procuratorate, ref="REF-1", **extra):
    from cases.models import OffenceTier

    tier = OffenceTier.objects.get(offence__code="CL264", tier=1)
    return case_build(
        procuratorate=procuratorate,
        external_ref=ref,
        procedure="fast_track",
        stage="prosecution_review",
        accused={
            "name": "李四",
            "id_number": valid_id_number(),
            "birth_date": date(1990, 5, 17),
            "disabilities": ["hearing"],
        },
        charges=[tier],
        flags=["complex_evidence"],
        co_accused_refs=["A-2", "A-3"],
        tier="duty_lawyer",
        **extra,
    )


def test_rows_of_several_models_in_one_round_trip_read_back_as_written(
    procuratorate, django_assert_num_queries
):
    case, rows = _build(procuratorate)
    note = TimelineEntry(case=case, kind=TimelineKind.NOTIFIED, at=timezone.now(), data={"a": [1]})
    with django_assert_num_queries(1):
        insert_batches([case], *rows, [note])

    stored = Case.objects.get(pk=case.pk)
    assert stored.flags == ["complex_evidence"] and stored.co_accused_refs == ["A-2", "A-3"]
    assert stored.created_at == case.created_at is not None  # auto_now filled on the instance
    assert Accused.objects.get(case=case).disabilities == ["hearing"]
    assert CaseCharge.objects.filter(case=case).count() == 1
    assert TimelineEntry.objects.get(case=case).data == {"a": [1]}
    assert not case._state.adding


def test_a_failing_statement_leaves_nothing_behind(procuratorate):
    first, _rows = _build(procuratorate, ref="DUP")
    insert_batches([first])
    again, rows = _build(procuratorate, ref="DUP")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        insert_batches(*rows[:1], [again])  # accused first, then the duplicate case
    assert caught.value.__cause__.diag.constraint_name == "case_external_ref_unique"
    assert Case.objects.count() == 1 and Accused.objects.count() == 0


def test_audit_triggers_fire_for_batched_rows(procuratorate):
    case = make_case(procuratorate=procuratorate)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pgh_label FROM cases_caseevent WHERE pgh_obj_id = %s", [str(case.pk)]
        )
        assert cursor.fetchall() == [("insert",)]


def test_a_batch_holds_one_model():
    with pytest.raises(TypeError):
        insert_batches([Case(), Accused()])


def test_select_models_converts_columns_like_the_orm(procuratorate):
    case = make_case(procuratorate=procuratorate)
    policy = policy_current(office_id=procuratorate.office_id)
    TriageDecision.objects.create(
        case=case,
        kind="automatic",
        tier="duty_lawyer",
        reasons=[{"rule": "x"}],
        policy=policy,
        decided_at=timezone.now(),
    )
    (decision,) = select_models(TriageDecision, "m.case_id = %s", [case.pk])
    assert decision.reasons == [{"rule": "x"}]  # JSON decoded, not a string
    (read,) = select_models(TriagePolicy, "m.id = %s", [policy.pk])
    orm = TriagePolicy.objects.get(pk=policy.pk)
    assert {f.attname: getattr(read, f.attname) for f in TriagePolicy._meta.concrete_fields} == {
        f.attname: getattr(orm, f.attname) for f in TriagePolicy._meta.concrete_fields
    }


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_batch_is_one_transaction(procuratorate, django_assert_num_queries):
    first, _rows = _build(procuratorate, ref="AUTO")
    with django_assert_num_queries(1):  # no BEGIN or COMMIT of its own
        insert_batches([first])
    again, rows = _build(procuratorate, ref="AUTO")
    with pytest.raises(IntegrityError):
        insert_batches(*rows[:1], [again])  # accused first, then the duplicate case
    assert Case.objects.count() == 1 and Accused.objects.count() == 0
