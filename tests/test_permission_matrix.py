"""Every role against every case page and API endpoint.

Rows are roles, columns the three cases of the fixture world: ``case`` (office
A, assigned to ``duty``), ``complex_case`` (office A, assigned to ``mentor``
with ``student`` granted) and ``other_case`` (office B). Out of scope is 404.
If selectors stop scoping, or grants stop counting, this fails.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import PiiAccess

# Not rerun with the clock moved (scripts/test_clock.sh): who may see and do what: roles and scope, not dates.
pytestmark = pytest.mark.timeless

CASES = ("case", "complex_case", "other_case")

# role fixture -> visibility of (case, complex_case, other_case) on pages
PAGE_VISIBILITY = {
    "staff": (True, True, False),
    "other_staff": (False, False, True),
    "duty": (True, False, False),
    "other_lawyer": (False, False, False),
    "counsel": (False, False, False),
    "mentor": (False, True, False),
    "student": (False, True, False),
    "other_student": (False, False, False),
    "reviewer": (True, True, True),
    "admin_user": (True, True, True),
}
AUDITORS = {"reviewer", "admin_user"}


def _user(request, role):
    obj = request.getfixturevalue(role)
    return getattr(obj, "user", obj)


@pytest.fixture
def world(request):
    return {name: request.getfixturevalue(name) for name in CASES}


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_case_pages_by_role(request, client, world, role):
    client.force_login(_user(request, role))
    listing = client.get(reverse("cases:list")).content.decode()
    for name, visible in zip(CASES, PAGE_VISIBILITY[role], strict=True):
        case = world[name]
        detail = client.get(reverse("cases:detail", args=[case.pk]))
        assert detail.status_code == (200 if visible else 404), (role, name)
        assert (case.external_ref in listing) is visible, (role, name)
        before = PiiAccess.objects.count()
        reveal = client.post(
            reverse("cases:identity", args=[case.pk]), {"reason": "会见前核对身份"}
        )
        assert reveal.status_code == (200 if visible else 404), (role, name)
        assert PiiAccess.objects.count() == before + (1 if visible else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_student_grant_endpoint_by_role(request, client, world, role, other_student):
    client.force_login(_user(request, role))
    from guardian.shortcuts import get_perms

    for name, visible in zip(CASES, PAGE_VISIBILITY[role], strict=True):
        case = world[name]
        url = reverse("cases:students", args=[case.pk])
        response = client.post(url, {"student": other_student.pk, "action": "grant"})
        assert response.status_code == (302 if visible else 404), (role, name)
        granted = "view_case" in get_perms(other_student.user, case)
        assert granted is (role == "mentor" and name == "complex_case"), (role, name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*PAGE_VISIBILITY, "api_user"])
def test_audit_pages_by_role(request, client, role, api_client_pair):
    user = api_client_pair[0].user if role == "api_user" else _user(request, role)
    client.force_login(user)
    for name in ("supervision:audit", "supervision:identity_views"):
        response = client.get(reverse(name))
        assert response.status_code == (200 if role in AUDITORS else 403), (role, name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["home", "cases:list", "supervision:audit", "supervision:identity_views"]
)
def test_anonymous_is_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_case_urls_redirect_without_leaking(client, case):
    for name in ("cases:detail", "cases:identity", "cases:students"):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code in (302, 405)
    assert (
        client.post(reverse("cases:identity", args=[case.pk]), {"reason": "xxxx"}).status_code
        == 302
    )
    assert PiiAccess.objects.count() == 0


# --- API ----------------------------------------------------------------------

API_VISIBILITY = {
    "api_client_pair": (True, True, False),
    "other_api_client_pair": (False, False, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("client_fixture", API_VISIBILITY)
def test_api_by_client(request, api, world, client_fixture):
    _client, token = request.getfixturevalue(client_fixture)
    listed = {row["id"] for row in api("get", "/api/v1/cases/", token).json()["results"]}
    for name, visible in zip(CASES, API_VISIBILITY[client_fixture], strict=True):
        case = world[name]
        response = api("get", f"/api/v1/cases/{case.pk}/", token)
        assert response.status_code == (200 if visible else 404), (client_fixture, name)
        assert (str(case.pk) in listed) is visible


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*PAGE_VISIBILITY, None])
def test_api_refuses_sessions_and_anonymous(request, client, world, role):
    """People use pages; the API answers tokens only (401 for a session)."""
    if role:
        client.force_login(_user(request, role))
    assert client.get("/api/v1/cases/").status_code == 401
    assert client.get(f"/api/v1/cases/{world['case'].pk}/").status_code == 401


@pytest.mark.django_db
def test_api_client_service_user_cannot_use_pages(client, api_client_pair, case):
    client.force_login(api_client_pair[0].user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("home")).status_code == 403


# --- triage pages (issue 3) ------------------------------------------------------

OFFICE_WORKERS = {"staff", "other_staff", "admin_user"}
# who may change which case: (case, complex_case, other_case)
CHANGE = {
    "staff": (True, True, False),
    "other_staff": (False, False, True),
    "admin_user": (True, True, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_triage_pages_by_role(request, client, office, role):
    client.force_login(_user(request, role))
    for name in ("triage:queue", "triage:policy"):
        response = client.get(reverse(name))
        assert response.status_code == (200 if role in OFFICE_WORKERS else 403), (role, name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_tier_override_by_role(request, client, world, role):
    from triage.models import TriageDecision

    client.force_login(_user(request, role))
    for name, visible, can_change in zip(
        CASES, PAGE_VISIBILITY[role], CHANGE.get(role, (False,) * 3), strict=True
    ):
        case = world[name]
        before = TriageDecision.objects.filter(case=case).count()
        current = case.triage_decisions.first()
        response = client.post(
            reverse("triage:override", args=[case.pk]),
            {
                "tier": "duty_lawyer" if case.tier == "appointed_counsel" else "appointed_counsel",
                "reason": "证据存在矛盾，需要重新确定层级",
                "expected_decision": current.pk,
            },
        )
        expected = 302 if can_change else (403 if visible else 404)
        assert response.status_code == expected, (role, name)
        assert TriageDecision.objects.filter(case=case).count() == before + (1 if can_change else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("client_fixture", API_VISIBILITY)
def test_api_events_by_client(request, api, world, client_fixture):
    import json

    _client, token = request.getfixturevalue(client_fixture)
    for name, visible in zip(CASES, API_VISIBILITY[client_fixture], strict=True):
        case = world[name]
        response = api(
            "post",
            f"/api/v1/cases/{case.pk}/events/",
            token,
            data=json.dumps({"type": "stage_changed", "stage": "trial"}),
            content_type="application/json",
        )
        assert response.status_code == (201 if visible else 404), (client_fixture, name)
        case.refresh_from_db()
        assert (case.stage == "trial") is visible


# --- legal-help records (issue 6) --------------------------------------------------

# role -> may log work on (case, complex_case, other_case)
LOGS = {
    "duty": (True, False, False),
    "mentor": (False, True, False),
    "student": (False, True, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_record_form_by_role(request, client, world, role):
    client.force_login(_user(request, role))
    for name, visible, logs in zip(
        CASES, PAGE_VISIBILITY[role], LOGS.get(role, (False,) * 3), strict=True
    ):
        response = client.get(reverse("cases:record_new", args=[world[name].pk, "meeting"]))
        expected = 200 if logs else (403 if visible else 404)
        assert response.status_code == expected, (role, name)


# who reads a record that ``duty`` logged on ``case``
RECORD_READERS = {"staff", "duty", "reviewer", "admin_user"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_record_page_by_role(request, client, world, duty, role):
    from datetime import timedelta

    from django.utils import timezone

    from cases.records import record_create

    now = timezone.now()
    record = record_create(
        case=world["case"],
        user=duty.user,
        kind="consultation",
        values={
            "started_at": now - timedelta(hours=1),
            "ended_at": now - timedelta(minutes=20),
            "summary": "咨询内容",
        },
    )
    client.force_login(_user(request, role))
    response = client.get(reverse("cases:record", args=[world["case"].pk, record.pk]))
    assert response.status_code == (200 if role in RECORD_READERS else 404), role
    page = client.get(reverse("cases:detail", args=[world["case"].pk]))
    if page.status_code == 200:
        assert (
            "咨询内容"
            in client.get(
                reverse("cases:record", args=[world["case"].pk, record.pk])
            ).content.decode()
        ) is (role in RECORD_READERS)


# who may generate documents for (case, complex_case, other_case); other_case has no lawyer
DOCUMENTS = {
    "staff": (200, 200, 404),
    "other_staff": (404, 404, 404),
    "duty": (200, 404, 404),
    "mentor": (404, 200, 404),
    "student": (404, 403, 404),
    "reviewer": (403, 403, 403),
    "admin_user": (200, 200, 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_documents_by_role(request, client, world, role):
    client.force_login(_user(request, role))
    expected = DOCUMENTS.get(role, (404, 404, 404))
    for name, status in zip(CASES, expected, strict=True):
        response = client.post(reverse("cases:document", args=[world[name].pk, "receipt"]))
        assert response.status_code == status, (role, name)


# --- duty rosters (issue 4) ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_roster_pages_by_role(request, client, office, role):
    client.force_login(_user(request, role))
    office_pages = ("lawyers:rosters", "lawyers:duty_now", "lawyers:settings")
    for name in office_pages:
        response = client.get(reverse(name))
        assert response.status_code == (200 if role in OFFICE_WORKERS else 403), (role, name)
    mine = client.get(reverse("lawyers:my_shifts"))
    lawyers = {"duty", "other_lawyer", "counsel", "mentor", "student", "other_student"}
    assert mine.status_code == (200 if role in lawyers else 403), role
    subsidies = client.get(reverse("lawyers:subsidies"))
    allowed = (lawyers - {"student", "other_student"}) | OFFICE_WORKERS
    assert subsidies.status_code == (200 if role in allowed else 403), role


# --- assignment, deadlines, inbox (issue 5) --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_assignment_pages_by_role(request, client, world, role):
    client.force_login(_user(request, role))
    board = client.get(reverse("triage:board"))
    assert board.status_code == (200 if role in OFFICE_WORKERS else 403), role
    sla = client.get(reverse("triage:sla"))
    assert sla.status_code == (200 if role in OFFICE_WORKERS | AUDITORS else 403), role
    inbox = client.get(reverse("triage:inbox"))
    assert inbox.status_code == 200, role  # everyone has their own inbox
    for name, visible in zip(CASES, PAGE_VISIBILITY[role], strict=True):
        suggestions = client.get(reverse("triage:suggestions", args=[world[name].pk]))
        # Out of scope is 404 for everyone; in scope but not an office worker, 403.
        expected = (200 if role in OFFICE_WORKERS else 403) if visible else 404
        assert suggestions.status_code == expected, (role, name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", PAGE_VISIBILITY)
def test_escalation_by_role(request, client, world, role):
    client.force_login(_user(request, role))
    for name, visible in zip(CASES, PAGE_VISIBILITY[role], strict=True):
        case = world[name]
        response = client.post(
            reverse("triage:escalate", args=[case.pk]),
            {"reason": "disputed_law", "text": "对法律适用存在重大争议"},
        )
        assert response.status_code == (302 if visible else 404), (role, name)
        case.refresh_from_db()
        escalated = role == "duty" and name == "case"
        assert (case.status == "escalated") is escalated, (role, name)
