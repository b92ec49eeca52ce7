"""The accused's identity is shown only with a reason, and every view is logged."""

from __future__ import annotations

import pytest
from django.db import InternalError, transaction
from django.urls import reverse

from cases.models import PiiAccess
from cases.services import accused_identity_reveal
from dutylaw.errors import DomainError

pytestmark = pytest.mark.django_db


def test_reveal_needs_a_reason(case, staff):
    with pytest.raises(DomainError) as excinfo:
        accused_identity_reveal(user=staff, case=case, reason="  ")
    assert excinfo.value.items[0].field == "reason"
    assert PiiAccess.objects.count() == 0


def test_reveal_records_who_when_which_case_why(case, staff):
    accused = accused_identity_reveal(user=staff, case=case, reason="核对会见申请")
    log = PiiAccess.objects.get()
    assert (log.user, log.case, log.reason) == (staff, case, "核对会见申请")
    assert set(log.fields) == {"name", "id_number", "birth_date"}
    assert accused.name == "张三丰"


def test_log_is_append_only(case, staff):
    accused_identity_reveal(user=staff, case=case, reason="核对会见申请")
    with pytest.raises(InternalError), transaction.atomic():
        PiiAccess.objects.update(reason="edited")
    with pytest.raises(InternalError), transaction.atomic():
        PiiAccess.objects.all().delete()


def test_page_masks_until_revealed(client, case, staff):
    client.force_login(staff)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "张**" in page and "张三丰" not in page and case.accused.id_number not in page
    response = client.post(
        reverse("cases:identity", args=[case.pk]),
        {"reason": "核对会见申请"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "张三丰" in body and case.accused.id_number in body


def test_page_rejects_empty_reason_with_field_error(client, case, staff):
    client.force_login(staff)
    response = client.post(
        reverse("cases:identity", args=[case.pk]), {"reason": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "张三丰" not in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert PiiAccess.objects.count() == 0


def test_mentor_page_lists_students_with_access(
    client, complex_case, mentor, student, other_student
):
    client.force_login(mentor.user)
    body = client.get(reverse("cases:detail", args=[complex_case.pk])).content.decode()
    assert "孙晓" in body and "钱多" in body
    assert body.count("可访问") == 1  # only the granted student
