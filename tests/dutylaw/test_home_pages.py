"""Home pages per role, the login page and error pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lawyers.models import Shift, Workstation
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_login_page_and_login(client, staff, password):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_login_wrong_password_says_so(client, staff):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()


def test_staff_home_lists_unassigned_soonest_first(
    client, staff, procuratorate, case, django_assert_max_num_queries
):
    now = timezone.now()
    later = make_case(procuratorate=procuratorate, needed_by=now + timedelta(days=5))
    # Fast track needs 3 days' notice: a lawyer needed tomorrow had too little.
    sooner = make_case(procuratorate=procuratorate, needed_by=now + timedelta(days=1))
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        body = client.get(reverse("home")).content.decode()
    assert body.index(sooner.external_ref) < body.index(later.external_ref)
    assert case.external_ref not in body  # it has a lawyer
    assert "通知时间不足" in body


def test_lawyer_home_shows_todays_shift_and_cases(client, duty, office, case):
    from lawyers.models import DetentionCentre

    centre = DetentionCentre.objects.create(code="KSS-A", name="甲区看守所")
    ws = Workstation.objects.create(
        office=office,
        code="WS-A",
        name="甲区看守所工作站",
        kind="detention_centre",
        detention_centre=centre,
    )
    Shift.objects.create(workstation=ws, lawyer=duty, date=timezone.localdate(), slot="am")
    client.force_login(duty.user)
    body = client.get(reverse("home")).content.decode()
    assert "甲区看守所工作站" in body and case.external_ref in body


def test_lawyer_home_without_shift(client, other_lawyer):
    client.force_login(other_lawyer.user)
    assert "今天您不值班" in client.get(reverse("home")).content.decode()


def test_reviewer_home_has_audit_entry_points(client, reviewer):
    client.force_login(reviewer)
    body = client.get(reverse("home")).content.decode()
    assert reverse("supervision:audit") in body
    assert reverse("supervision:identity_views") in body


def test_unknown_page_is_translated_404(client, staff):
    client.force_login(staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_security_headers(client, staff):
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_logout_needs_post_with_csrf(client, staff, password):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff)
    assert csrf_client.post(reverse("logout")).status_code == 403


def test_case_list_filters_and_query_count(
    client, staff, procuratorate, duty, django_assert_max_num_queries
):
    for _ in range(12):
        make_case(procuratorate=procuratorate)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:list"), {"status": "triaged"})
    assert response.status_code == 200
    bad = client.get(reverse("cases:list"), {"status": "nonsense", "page": "x"})
    assert bad.status_code == 200


def test_case_detail_query_count(client, staff, case, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
