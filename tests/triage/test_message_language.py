"""Messages are written in the recipient's language, whoever causes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.factories import PASSWORD, make_case
from triage.assignment import case_assign_and_notify, case_escalate
from triage.deadlines import deadline_open, deadlines_scan
from triage.models import DeadlineKind, Notification

pytestmark = pytest.mark.django_db


def test_the_language_switch_sets_the_language_of_messages(client, duty):
    client.login(username=duty.user.username, password=PASSWORD)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    duty.user.refresh_from_db()
    assert duty.user.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not offered: ignored
    duty.user.refresh_from_db()
    assert duty.user.language == "en"


@pytest.mark.parametrize("code", ["fr", "zh-hant", "x" * 300, ""])
def test_languages_the_site_does_not_offer_are_not_stored(client, duty, code):
    client.login(username=duty.user.username, password=PASSWORD)
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302
    duty.user.refresh_from_db()
    assert duty.user.language == "zh-hans"


@pytest.mark.parametrize("code", ["en-us", "en-abcdefgh"])
def test_a_variant_is_stored_as_the_site_language(client, duty, code):
    client.login(username=duty.user.username, password=PASSWORD)
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    duty.user.refresh_from_db()
    assert duty.user.language == "en"


def test_signing_in_restores_the_chosen_language(client, duty):
    duty.user.language = "en"
    duty.user.save()
    response = client.post(
        "/login/", {"username": duty.user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert client.cookies["django_language"].value == "en"
    assert "Log out" in response.content.decode()  # the page after sign-in is in English


def test_anonymous_switch_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"


def test_an_assignment_reaches_each_lawyer_in_their_language(procuratorate, duty, staff):
    duty.user.language = "en"
    duty.user.save()
    case = make_case(procuratorate=procuratorate)
    with translation.override("zh-hans"):  # the staff member works in Chinese
        case_assign_and_notify(case=case, lawyer=duty, acting_user=staff)
    note = Notification.objects.get(user=duty.user)
    assert note.title.startswith("New case:") and "You are assigned as" in note.body


def test_escalations_and_deadline_alerts_follow_each_recipient(procuratorate, duty, staff):
    staff.language = "en"
    staff.save()
    case = make_case(procuratorate=procuratorate)
    case_assign_and_notify(case=case, lawyer=duty, acting_user=staff)
    with translation.override("zh-hans"):
        case_escalate(
            case=case,
            user=duty.user,
            reason="contradictory_evidence",
            text="证人证言与监控录像相互矛盾",
        )
    escalated = Notification.objects.get(user=staff)
    assert escalated.title.startswith("Escalated:")

    t0 = timezone.now()
    deadline_open(
        case=case, kind=DeadlineKind.PLEA_SIGNING, due_at=t0 + timedelta(hours=10), now=t0
    )
    with translation.override("en"):  # the worker's language does not matter either
        deadlines_scan(now=t0 + timedelta(hours=6))
    alert = Notification.objects.filter(user=duty.user, title__contains="期限").get()
    assert "剩余" in alert.body or "小时" in alert.body


def test_bases_stored_translated_before_are_turned_back_into_source_text(procuratorate):
    import importlib

    from django.apps import apps

    from triage.models import Deadline

    migration = importlib.import_module("triage.migrations.0008_deadline_basis_source_text")
    case = make_case(procuratorate=procuratorate)
    stored = {
        "刑事诉讼法第一百七十二条：速裁程序 10 日": ("CPL 172: fast-track, %(d)s days", {"d": 10}),
        "Escalated by the duty lawyer: 48 hours": (
            "Escalated by the duty lawyer: %(h)s hours",
            {"h": 48},
        ),
        "检察院要求的律师到位期限": ("Lawyer needed by the procuratorate", {}),
        "某个手写的依据": ("某个手写的依据", {}),
    }
    Deadline.objects.filter(case=case).delete()  # those the notice opened
    t0 = timezone.now()
    rows = [
        Deadline.objects.create(
            case=case, kind=kind, starts_at=t0, due_at=t0 + timedelta(days=1), basis=text
        )
        for kind, text in zip(
            ["prosecution_review", "diversion", "assignment", "hearing"], stored, strict=True
        )
    ]
    migration.forwards(apps, None)
    for row, (source, params) in zip(rows, stored.values(), strict=True):
        row.refresh_from_db()
        assert (row.basis, row.basis_params) == (source, params)
    with translation.override("en"):
        assert rows[0].basis_text == "CPL 172: fast-track, 10 days"
