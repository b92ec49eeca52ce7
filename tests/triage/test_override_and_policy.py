"""Staff override of the tier, and the office policy page: service and pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import TimelineEntry
from dutylaw.errors import DomainError, StateHasChanged
from tests.factories import make_case
from triage.models import TriageDecision, TriagePolicy
from triage.services import case_triage_override, policy_current, policy_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def triaged(procuratorate):
    return make_case(procuratorate=procuratorate)


def test_override_keeps_reason_author_and_rules(triaged, staff):
    auto = triaged.triage_decisions.get()
    decision = case_triage_override(
        case=triaged,
        tier="appointed_counsel",
        reason="证据之间存在明显矛盾，需全面辩护",
        acting_user=staff,
        expected_decision_id=auto.id,
    )
    triaged.refresh_from_db()
    assert triaged.tier == "appointed_counsel"
    assert decision.decided_by == staff and decision.reasons == auto.reasons
    assert TimelineEntry.objects.filter(case=triaged, kind="triage_overridden").exists()


def test_override_refusals_change_nothing(triaged, staff, procuratorate):
    auto = triaged.triage_decisions.get()
    with pytest.raises(DomainError) as excinfo:
        case_triage_override(
            case=triaged,
            tier="appointed_counsel",
            reason="短",
            acting_user=staff,
            expected_decision_id=auto.id,
        )
    assert excinfo.value.items[0].field == "reason"
    with pytest.raises(DomainError):
        case_triage_override(
            case=triaged,
            tier="duty_lawyer",
            reason="理由足够长的一段说明文字",
            acting_user=staff,
            expected_decision_id=auto.id,
        )
    with pytest.raises(StateHasChanged):
        case_triage_override(
            case=triaged,
            tier="appointed_counsel",
            reason="理由足够长的一段说明文字",
            acting_user=staff,
            expected_decision_id=auto.id + 999,
        )
    assert TriageDecision.objects.filter(case=triaged).count() == 1


def test_mandatory_defence_cannot_be_overridden_to_duty_lawyer(procuratorate, staff):
    case = make_case(procuratorate=procuratorate, code="CL232", tier_no=2)
    auto = case.triage_decisions.get()
    with pytest.raises(DomainError) as excinfo:
        case_triage_override(
            case=case,
            tier="duty_lawyer",
            reason="理由足够长的一段说明文字",
            acting_user=staff,
            expected_decision_id=auto.id,
        )
    assert excinfo.value.items[0].code == "mandatory_defence"


def test_override_page_flow(client, triaged, staff):
    client.force_login(staff)
    page = client.get(reverse("cases:detail", args=[triaged.pk])).content.decode()
    assert "更改层级" in page
    auto = triaged.triage_decisions.get()
    bad = client.post(
        reverse("triage:override", args=[triaged.pk]),
        {"tier": "appointed_counsel", "reason": "", "expected_decision": auto.id},
    )
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    ok = client.post(
        reverse("triage:override", args=[triaged.pk]),
        {
            "tier": "appointed_counsel",
            "reason": "证据之间存在明显矛盾，需全面辩护",
            "expected_decision": auto.id,
        },
    )
    assert ok.status_code == 302
    page = client.get(reverse("cases:detail", args=[triaged.pk])).content.decode()
    assert "证据之间存在明显矛盾" in page


def test_lawyer_and_reviewer_cannot_override(client, case, duty, reviewer):
    for user in (duty.user, reviewer):
        client.force_login(user)
        response = client.post(
            reverse("triage:override", args=[case.pk]),
            {"tier": "appointed_counsel", "reason": "理由足够长的一段说明文字"},
        )
        assert response.status_code == 403


def test_policy_update_versions_and_lost_update(office, staff, other_staff):
    assert policy_current(office=office).version == 1
    policy_update(
        office=office, acting_user=staff, expected_version=1, values={"file_volumes_threshold": 50}
    )
    with pytest.raises(StateHasChanged):
        policy_update(
            office=office,
            acting_user=other_staff,
            expected_version=1,
            values={"file_volumes_threshold": 10},
        )
    assert policy_current(office=office).file_volumes_threshold == 50
    assert TriagePolicy.objects.filter(office=office).count() == 2


def test_policy_rejects_out_of_range_values(office, staff):
    policy_current(office=office)
    with pytest.raises(DomainError) as excinfo:
        policy_update(
            office=office,
            acting_user=staff,
            expected_version=1,
            values={"sentence_threshold_months": 0},
        )
    assert excinfo.value.items[0].field == "sentence_threshold_months"
    assert TriagePolicy.objects.filter(office=office).count() == 1


def test_policy_page(client, staff, office):
    client.force_login(staff)
    page = client.get(reverse("triage:policy"))
    assert page.status_code == 200 and "分流规则" in page.content.decode()
    form = {
        "version": 1,
        "sentence_threshold_months": 48,
        "max_charges": 1,
        "file_volumes_threshold": 20,
        "co_accused_to_counsel": "on",
        "notice_days_fast_track": 3,
        "notice_days_summary": 10,
        "notice_days_ordinary": 10,
        "notice_day_count": "working",
        "daily_case_cap": 15,
        "diversion_hours": 24,
    }
    assert client.post(reverse("triage:policy"), form).status_code == 302
    assert policy_current(office=office).sentence_threshold_months == 48
    stale = client.post(reverse("triage:policy"), {**form, "sentence_threshold_months": 12})
    assert stale.status_code == 400 and policy_current(office=office).version == 2
    bad = client.post(reverse("triage:policy"), {**form, "version": 2, "max_charges": -3})
    assert bad.status_code == 400 and policy_current(office=office).version == 2


def test_queue_lists_unassigned_with_reasons(
    client, staff, triaged, case, other_case, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("triage:queue")).content.decode()
    assert triaged.external_ref in body
    assert case.external_ref not in body  # has a lawyer
    assert other_case.external_ref not in body  # other office
    assert "简单案件" in body or "可能判处" in body
    filtered = client.get(reverse("triage:queue"), {"tier": "appointed_counsel"}).content.decode()
    assert triaged.external_ref not in filtered


def test_queue_and_policy_forbidden_to_non_staff(client, duty, reviewer):
    for user in (duty.user, reviewer):
        client.force_login(user)
        assert client.get(reverse("triage:queue")).status_code == 403
        assert client.get(reverse("triage:policy")).status_code == 403
