"""Schemathesis generates requests from our own OpenAPI schema; no input may
produce a server error. (Driven through Hypothesis directly: schemathesis's
pytest plugin does not run under pytest 9.)"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from dutylaw.wsgi import application
from lawyers.models import DetentionCentre

EXAMPLES_PER_OPERATION = 60


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
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(generated):
            generated.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
