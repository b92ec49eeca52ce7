"""Schemathesis generates requests from our own OpenAPI schema; no input may
produce a server error. (Driven through Hypothesis directly: schemathesis's
pytest plugin does not run under pytest 9.)"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from dutylaw.wsgi import application
from lawyers.models import DetentionCentre

# Not rerun with the clock moved (scripts/test_clock.sh): input fuzzing: what a body holds, not when it is sent.
pytestmark = pytest.mark.timeless

EXAMPLES_PER_OPERATION = 60


def fuzzing(*, examples: int):
    """Hypothesis settings for requests against the in-process app."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def in_process_requests():
    # As Django's test client does: keep the test's connection (and its
    # transaction) open across the in-process requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_input_makes_a_server_error(in_process_requests, api_client_pair, case):
    DetentionCentre.objects.get_or_create(code="BJ-CY-KSS", defaults={"name": "朝阳区看守所"})
    _client, token = api_client_pair
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5

    for operation in operations:

        @given(generated=operation.as_strategy())
        @fuzzing(examples=EXAMPLES_PER_OPERATION)
        def check(generated):
            generated.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()


HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=40
) | st.sampled_from(["\x00", "\ud800", " CL264 ", "CL264", "BJ-CY-KSS", "x" * 5000, ""])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(HOSTILE_TEXT, inner, max_size=4),
    max_leaves=12,
)
INTAKE_KEYS = [
    "external_ref",
    "procedure",
    "stage",
    "plea",
    "accused",
    "charges",
    "possible_sentence_max_months",
    "file_volumes",
    "co_accused_refs",
    "flags",
    "custody",
    "needed_by",
]


@pytest.mark.django_db
def test_hostile_notice_bodies_are_400_never_500(in_process_requests, api_client_pair):
    """Bodies shaped like a notice with any JSON in any field (lone surrogates,
    NUL, wrong types, deep nesting): the references are read before validation,
    so this checks that path too."""
    from django.test import Client

    from tests.cases.test_api_intake import BODY

    _client, token = api_client_pair
    http = Client(headers={"Authorization": f"Token {token}"})

    @given(
        changes=st.dictionaries(st.sampled_from(INTAKE_KEYS), JSON_VALUES, max_size=4),
        charges=st.lists(
            st.fixed_dictionaries({"code": JSON_VALUES, "tier": JSON_VALUES}), max_size=3
        ),
    )
    @fuzzing(examples=EXAMPLES_PER_OPERATION * 2)
    def check(changes, charges):
        payload = {**BODY, "charges": charges, **changes}
        body = json.dumps(payload, ensure_ascii=True)  # lone surrogates survive as escapes
        response = http.post("/api/v1/cases/", data=body, content_type="application/json")
        assert response.status_code < 500, body

    check()


@pytest.mark.django_db
def test_hostile_event_bodies_are_never_500(in_process_requests, api_client_pair, case):
    from django.test import Client

    _client, token = api_client_pair
    http = Client(headers={"Authorization": f"Token {token}"})
    event_types = st.sampled_from(
        ["stage_changed", "hearing_scheduled", "plea_signing_scheduled", "withdrawn", "closed"]
    )
    keys = st.sampled_from(["type", "stage", "at", "court_code", "reason", "outcome"])

    @given(
        kind=event_types | JSON_VALUES,
        changes=st.dictionaries(keys, JSON_VALUES, max_size=3),
    )
    @fuzzing(examples=EXAMPLES_PER_OPERATION * 2)
    def check(kind, changes):
        body = json.dumps({"type": kind, **changes}, ensure_ascii=True)
        response = http.post(
            f"/api/v1/cases/{case.pk}/events/", data=body, content_type="application/json"
        )
        assert response.status_code < 500, body

    check()
