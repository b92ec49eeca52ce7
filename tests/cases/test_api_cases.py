"""GET /api/v1/cases/: tokens, scoping, filters, errors, pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.api_clients import api_client_revoke, api_client_rotate
from cases.models import ApiClient
from cases.services import case_assign
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_missing_or_bad_token_is_401_in_contract_shape(api):
    for token in (None, "nope"):
        response = api("get", "/api/v1/cases/", token)
        assert response.status_code == 401
        assert response.json()["errors"][0]["message"]
    response = api("get", "/api/v1/cases/", headers={"Authorization": "Token a b"})
    assert response.status_code == 401


def test_token_is_stored_only_as_hash(api_client_pair):
    client, token = api_client_pair
    stored = ApiClient.objects.filter(pk=client.pk).values_list(flat=True)
    assert token not in [
        str(v) for v in ApiClient.objects.filter(pk=client.pk).values().get().values()
    ]
    assert stored


def test_last_used_is_recorded(api, api_client_pair):
    client, token = api_client_pair
    api("get", "/api/v1/cases/", token)
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_rotate_and_revoke(api, api_client_pair):
    client, token = api_client_pair
    new_token = api_client_rotate(client=client)
    assert api("get", "/api/v1/cases/", token).status_code == 401
    assert api("get", "/api/v1/cases/", new_token).status_code == 200
    api_client_revoke(client=client)
    assert api("get", "/api/v1/cases/", new_token).status_code == 401


def test_a_cached_token_stops_working_at_once_when_rotated_revoked_or_its_user_disabled(
    api, api_client_pair, other_api_client_pair, django_assert_num_queries
):
    client, token = api_client_pair
    assert api("get", "/api/v1/cases/", token).status_code == 200
    with django_assert_num_queries(1):  # the client is cached: the page of cases only
        assert api("get", "/api/v1/cases/", token).status_code == 200
    new_token = api_client_rotate(client=client)
    assert api("get", "/api/v1/cases/", token).status_code == 401
    assert api("get", "/api/v1/cases/", new_token).status_code == 200
    api_client_revoke(client=client)
    assert api("get", "/api/v1/cases/", new_token).status_code == 401
    other, other_token = other_api_client_pair
    assert api("get", "/api/v1/cases/", other_token).status_code == 200
    other.user.is_active = False
    other.user.save()  # as the admin does
    assert api("get", "/api/v1/cases/", other_token).status_code == 401


def test_last_use_is_written_once_a_minute(api, api_client_pair, time_machine):
    from django.utils import timezone

    client, token = api_client_pair
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    api("get", "/api/v1/cases/", token)
    time_machine.move_to(start + timedelta(seconds=30), tick=False)
    api("get", "/api/v1/cases/", token)
    client.refresh_from_db()
    assert client.last_used_at == start
    time_machine.move_to(start + timedelta(seconds=61), tick=False)
    api("get", "/api/v1/cases/", token)
    client.refresh_from_db()
    assert client.last_used_at == start + timedelta(seconds=61)


def test_case_shape_with_assignment(api, api_client_pair, case, duty):
    _client, token = api_client_pair
    body = api("get", f"/api/v1/cases/{case.pk}/", token).json()
    assert body["external_ref"] == case.external_ref
    assert body["tier"] == "duty_lawyer" and body["status"] == "assigned"
    assert body["assignment"]["lawyer_name"] == "李明"
    assert body["assignment"]["license_no"] == duty.licence_no
    assert body["assignment"]["role"] == "duty_lawyer"
    assert "accused" not in body  # identity never leaves through the API


def test_filters_and_bad_filter_values(api, api_client_pair, case, procuratorate):
    _client, token = api_client_pair
    make_case(procuratorate=procuratorate)
    rows = api("get", "/api/v1/cases/?status=assigned", token).json()["results"]
    assert [r["id"] for r in rows] == [str(case.pk)]
    rows = api("get", f"/api/v1/cases/?external_ref={case.external_ref}", token).json()["results"]
    assert len(rows) == 1
    response = api("get", "/api/v1/cases/?status=bogus&updated_since=yesterday", token)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert "status" in fields or "updated_since" in fields


def test_updated_since_needs_offset(api, api_client_pair, case):
    _client, token = api_client_pair
    response = api("get", "/api/v1/cases/?updated_since=2026-01-01T00:00:00", token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "updated_since"
    ok = api("get", "/api/v1/cases/?updated_since=2020-01-01T00:00:00%2B08:00", token)
    assert ok.status_code == 200 and len(ok.json()["results"]) == 1


def test_errors_follow_accept_language(api, api_client_pair):
    _client, token = api_client_pair
    zh = api("get", "/api/v1/cases/?status=bogus", token).json()["errors"][0]["message"]
    en = api("get", "/api/v1/cases/?status=bogus", token, headers={"Accept-Language": "en"}).json()[
        "errors"
    ][0]["message"]
    assert zh != en and en == "Not a valid status."


def test_cursor_pagination_newest_first(api, api_client_pair, procuratorate):
    _client, token = api_client_pair
    made = [make_case(procuratorate=procuratorate) for _ in range(5)]
    first = api("get", "/api/v1/cases/?page_size=3", token).json()
    assert len(first["results"]) == 3 and first["next"]
    second = api("get", first["next"].replace("http://testserver", ""), token).json()
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert seen == [str(c.pk) for c in reversed(made)]


def test_list_query_count_is_constant(
    api, api_client_pair, procuratorate, duty, staff, django_assert_max_num_queries
):
    _client, token = api_client_pair
    for _ in range(10):
        c = make_case(procuratorate=procuratorate)
        case_assign(case=c, lawyer=duty, role="duty_lawyer", acting_user=staff)
    # auth lookup, last-used update, page, assignments prefetch
    with django_assert_max_num_queries(5):
        assert len(api("get", "/api/v1/cases/", token).json()["results"]) == 10


def test_unknown_case_id_and_malformed_id(api, api_client_pair):
    _client, token = api_client_pair
    assert (
        api("get", "/api/v1/cases/00000000-0000-0000-0000-000000000000/", token).status_code == 404
    )
    assert api("get", "/api/v1/cases/not-a-uuid/", token).status_code == 404


def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/cases/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower() and b"/static/" in docs.content


def test_nul_in_a_query_parameter_is_400(api, api_client_pair, client, staff):
    _client, token = api_client_pair
    response = api("get", "/api/v1/cases/?external_ref=a%00b", token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_ref"
    client.force_login(staff)
    assert client.get("/cases/?q=%00").status_code == 400
