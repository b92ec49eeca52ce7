"""Database triggers record every change; the record is append-only; reviewers
browse it with identity fields masked."""

from __future__ import annotations

import pytest
from django.db import InternalError, connection, transaction
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from cases.models import Accused, Case

pytestmark = pytest.mark.django_db


def events_for(obj):
    return list(MiddlewareEvents.objects.tracks(obj).order_by("pgh_created_at"))


def test_raw_sql_updates_are_recorded_by_triggers(case):
    """No Python code runs here: only a database trigger can record this."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET file_volumes = 42 WHERE id = %s", [case.pk])
    last = events_for(case)[-1]
    assert last.pgh_label == "update"
    assert last.pgh_diff["file_volumes"] == [0, 42]


def test_deletes_are_recorded(case):
    charge = case.charges.get()
    charge_pk = charge.pk
    charge.delete()
    labels = MiddlewareEvents.objects.filter(
        pgh_model="cases.CaseChargeEvent", pgh_obj_id=str(charge_pk)
    ).values_list("pgh_label", flat=True)
    assert set(labels) == {"insert", "delete"}


def test_event_tables_are_append_only(case):
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET stage = 'trial'")
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent")


def test_web_changes_carry_the_user(client, case, staff):
    """The history middleware attaches who made a change through a request."""
    client.force_login(staff)
    client.post(reverse("cases:identity", args=[case.pk]), {"reason": "核对身份信息"})
    # A change made inside a request is attributed; simulate one via the test client.
    from pghistory import context

    with context(user=staff.pk, url="/cases/"):
        Case.objects.filter(pk=case.pk).update(stage="trial")
    last = events_for(case)[-1]
    assert last.pgh_context["user"] == staff.pk


def test_audit_page_masks_identity(client, case, reviewer):
    Accused.objects.filter(case=case).update(name="张无忌", id_number="")
    client.force_login(reviewer)
    body = client.get(reverse("supervision:audit")).content.decode()
    assert "张三丰" not in body and "张无忌" not in body
    assert "••••" in body


def test_case_page_shows_history_to_staff_not_lawyers(client, case, staff, duty):
    client.force_login(staff)
    assert "变更记录" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(duty.user)
    assert "变更记录" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_identity_views_page_lists_reason(client, case, staff, reviewer):
    client.force_login(staff)
    client.post(reverse("cases:identity", args=[case.pk]), {"reason": "核对会见申请"})
    client.force_login(reviewer)
    body = client.get(reverse("supervision:identity_views")).content.decode()
    assert "核对会见申请" in body and "王静" in body


def test_identity_views_filter_rejects_bad_case_id(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("supervision:identity_views"), {"case": "not-a-uuid"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_audit_page_bad_page_number_is_not_an_error(client, reviewer):
    client.force_login(reviewer)
    for page in ("abc", "-1", "99999999999"):
        assert client.get(reverse("supervision:audit"), {"page": page}).status_code == 200


def test_audit_values_read_as_labels_not_codes(client, case, reviewer):
    client.force_login(reviewer)
    body = client.get(reverse("supervision:audit"), {"model": "cases.CaseEvent"}).content.decode()
    assert "已指派" in body  # status "assigned" shown by its label
    assert "状态" in body  # the field by its verbose name, not "status"


def test_a_tasks_changes_are_recorded_as_the_systems_with_the_task(
    client, office, staff, procuratorate, duty, reviewer
):
    from cases.models import Assignment
    from tests.factories import make_case
    from triage.services import policy_update
    from triage.tasks import auto_assign

    policy_update(
        office=office, acting_user=staff, expected_version=1, values={"auto_assign": True}
    )
    case = make_case(procuratorate=procuratorate)
    auto_assign.apply(args=[str(case.pk)])  # as a worker runs it
    assignment = Assignment.objects.get(case=case)
    event = events_for(assignment)[0]
    context = event.pgh_context
    assert context["task"] == "triage.tasks.auto_assign"
    from lawyers.models import User

    system = User.objects.get(pk=context["user"])
    assert system.role == "system" and not system.is_active and not system.has_usable_password()
    client.force_login(reviewer)
    page = client.get(reverse("supervision:audit")).content.decode()
    assert "triage.tasks.auto_assign" in page and "系统" in page
