"""With Redis unreachable the cache misses: notices are still taken, tokens
still checked, at the database's speed, and nothing fails."""

from __future__ import annotations

import json
import time

import pytest
from django.core.cache import cache

from cases.api_clients import api_client_revoke
from cases.models import Case
from lawyers.models import DetentionCentre
from tests.cases.test_api_intake import BODY

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "dutylaw.cache.SoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert cache.get("anything") is None and cache.get("anything", 5) == 5
    assert cache.add("k", 1) is False and cache.get_many(["a", "b"]) == {}


def test_intake_and_tokens_work_without_the_cache(redis_down, api, api_client_pair, caplog):
    client, token = api_client_pair
    DetentionCentre.objects.create(code="BJ-CY-KSS", name="朝阳区看守所")
    started = time.monotonic()
    response = api(
        "post", "/api/v1/cases/", token, data=json.dumps(BODY), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert time.monotonic() - started < 3  # a dead cache costs little, not seconds
    assert api("get", "/api/v1/cases/", token).status_code == 200
    api_client_revoke(client=client)
    assert api("get", "/api/v1/cases/", token).status_code == 401
    assert Case.objects.count() == 1
    assert "going on without the cache" in caplog.text
