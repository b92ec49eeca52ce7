"""Many identical notices at once make one case; the database decides."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from cases.models import Accused, Case, TimelineEntry
from lawyers.models import DetentionCentre
from tests.cases.test_api_intake import BODY
from triage.models import Deadline

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_requests_make_one_case(api_client_pair):
    DetentionCentre.objects.create(code="BJ-CY-KSS", name="朝阳区看守所")
    _client, token = api_client_pair
    barrier = threading.Barrier(THREADS)
    statuses, ids = [], []
    lock = threading.Lock()

    def notify():
        try:
            client = Client()
            barrier.wait()
            response = client.post(
                "/api/v1/cases/",
                data=json.dumps(BODY),
                content_type="application/json",
                headers={"Authorization": f"Token {token}"},
            )
            with lock:
                statuses.append(response.status_code)
                ids.append(response.json().get("id"))
        finally:
            connection.close()

    threads = [threading.Thread(target=notify) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert len(set(ids)) == 1
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_repeat_with_other_content_stores_nothing_outside_a_transaction(api_client_pair):
    DetentionCentre.objects.create(code="BJ-CY-KSS", name="朝阳区看守所")
    _client, token = api_client_pair
    client = Client(headers={"Authorization": f"Token {token}"})
    first = client.post("/api/v1/cases/", data=json.dumps(BODY), content_type="application/json")
    changed = {**BODY, "file_volumes": 7}
    again = client.post("/api/v1/cases/", data=json.dumps(changed), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 409)
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1 and Accused.objects.count() == 1
    assert TimelineEntry.objects.count() == 2 and Deadline.objects.count() == 2
