"""Named users, one per role, plus outsiders who must see nothing.

The world: office A (procuratorate A) and office B (procuratorate B). ``case``
is office A's, assigned to ``duty``; ``complex_case`` is office A's, assigned
to ``mentor`` with ``student`` granted; ``other_case`` is office B's.
"""

from __future__ import annotations

import importlib

import pytest

from cases.api_clients import api_client_create
from cases.services import case_assign, case_grant_student
from lawyers.models import LawyerKind, Role
from tests.factories import (
    PASSWORD,
    LawyerFactory,
    OfficeFactory,
    ProcuratorateFactory,
    UserFactory,
    make_case,
)

pytest_plugins = ["tests.clock"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _charge_catalogue(request):
    """The catalogue comes from a data migration; transactional tests flush it
    away, so put it back for any test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    if not apps.get_model("cases", "Offence").objects.exists():
        migration = importlib.import_module("cases.migrations.0003_load_offence_catalogue")
        migration.load(apps, None)


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test starts with an empty cache of its own process (production
    shares Redis between processes; a test must not see another's entries)."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dutylaw-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def office(db):
    return OfficeFactory(code="OFF-A", name="甲区法律援助中心")


@pytest.fixture
def other_office(db):
    return OfficeFactory(code="OFF-B", name="乙区法律援助中心")


@pytest.fixture
def procuratorate(office):
    return ProcuratorateFactory(code="PROC-A", name="甲区人民检察院", office=office)


@pytest.fixture
def other_procuratorate(other_office):
    return ProcuratorateFactory(code="PROC-B", name="乙区人民检察院", office=other_office)


@pytest.fixture
def staff(office):
    return UserFactory(username="alice", full_name="王静", role=Role.STAFF, office=office)


@pytest.fixture
def other_staff(other_office):
    return UserFactory(username="bob", full_name="李强", role=Role.STAFF, office=other_office)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rita", full_name="周律协", role=Role.REVIEWER)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="root", full_name="管理员", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def duty(office):
    return LawyerFactory(user__username="dora", user__full_name="李明", office=office)


@pytest.fixture
def other_lawyer(office):
    """A lawyer of the same office with no cases: an outsider to every case."""
    return LawyerFactory(user__username="oscar", user__full_name="赵强", office=office)


@pytest.fixture
def counsel(office):
    return LawyerFactory(
        user__username="carl", user__full_name="陈刚", office=office, takes_complex_cases=True
    )


@pytest.fixture
def mentor(office):
    return LawyerFactory(
        user__username="mona",
        user__full_name="赵教授",
        office=office,
        kind=LawyerKind.MENTOR,
        takes_complex_cases=True,
    )


@pytest.fixture
def student(mentor, office):
    return LawyerFactory(
        user__username="sam",
        user__full_name="孙晓",
        office=office,
        kind=LawyerKind.STUDENT,
        licence_no=None,
        mentor=mentor,
    )


@pytest.fixture
def other_student(mentor, office):
    """The mentor's second student, never granted anything."""
    return LawyerFactory(
        user__username="stan",
        user__full_name="钱多",
        office=office,
        kind=LawyerKind.STUDENT,
        licence_no=None,
        mentor=mentor,
    )


@pytest.fixture
def case(procuratorate, duty, staff):
    case = make_case(procuratorate=procuratorate)
    case_assign(case=case, lawyer=duty, role="duty_lawyer", acting_user=staff)
    return case


@pytest.fixture
def complex_case(procuratorate, mentor, student, staff):
    case = make_case(procuratorate=procuratorate, code="CL264", tier_no=2)
    assert case.tier == "appointed_counsel" and not case.mandatory_defence  # 3 to 10 years
    case_assign(case=case, lawyer=mentor, role="appointed_counsel", acting_user=staff)
    case_grant_student(case=case, student=student, acting_user=mentor.user)
    return case


@pytest.fixture
def other_case(other_procuratorate):
    return make_case(procuratorate=other_procuratorate)


@pytest.fixture
def api_client_pair(procuratorate):
    """(ApiClient, token) for procuratorate A."""
    return api_client_create(procuratorate=procuratorate, name="甲区检察院系统")


@pytest.fixture
def other_api_client_pair(other_procuratorate):
    return api_client_create(procuratorate=other_procuratorate, name="乙区检察院系统")


@pytest.fixture
def api(client):
    """A Django test client with an API token header helper."""

    def call(method: str, path: str, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Token {token}"
        return getattr(client, method)(path, headers=headers, **kwargs)

    return call
