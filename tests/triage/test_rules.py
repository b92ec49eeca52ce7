"""The rules, one by one, and the decision they make together."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import TimelineEntry
from tests.factories import make_case, valid_id_number
from triage.models import TriagePolicy
from triage.rules import Facts
from triage.services import policy_current, triage_evaluate

pytestmark = pytest.mark.django_db


def facts(**overrides) -> Facts:
    base = {
        "sentence_months": 6,
        "life": False,
        "death": False,
        "charge_codes": ("CL133-1",),
        "flags": frozenset(),
        "file_volumes": 1,
        "co_accused": 0,
        "age": 40,
        "disabilities": frozenset(),
    }
    base.update(overrides)
    return Facts(**base)


@pytest.fixture
def policy(office):
    return policy_current(office=office)


def rules_of(reasons):
    return [r["rule"] for r in reasons]


def test_simple_case_stays_with_duty_lawyer(policy):
    tier, mandatory, reasons = triage_evaluate(facts(), policy)
    assert (tier, mandatory, rules_of(reasons)) == (
        "duty_lawyer",
        False,
        ["sentence_within_3_years"],
    )
    assert "6" in reasons[0]["detail_zh"] and "36" in reasons[0]["detail_en"]


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"sentence_months": 37}, "sentence_over_threshold"),
        ({"sentence_months": None, "life": True}, "sentence_over_threshold"),
        ({"charge_codes": ("CL264", "CL266")}, "several_charges"),
        ({"flags": frozenset({"organized_crime"})}, "organized_crime"),
        ({"charge_codes": ("CL294",)}, "organized_crime"),
        ({"flags": frozenset({"complex_evidence"})}, "complex_evidence"),
        ({"file_volumes": 21}, "large_file"),
        ({"co_accused": 2}, "co_accused"),
    ],
)
def test_each_appointed_rule(policy, change, rule):
    tier, _mandatory, reasons = triage_evaluate(facts(**change), policy)
    assert tier == "appointed_counsel" and rule in rules_of(reasons)


def test_threshold_is_inclusive_at_36_months(policy):
    assert triage_evaluate(facts(sentence_months=36), policy)[0] == "duty_lawyer"


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"age": 17}, "mandatory_minor"),
        ({"disabilities": frozenset({"hearing"})}, "mandatory_sensory_disability"),
        ({"disabilities": frozenset({"visual"})}, "mandatory_sensory_disability"),
        ({"disabilities": frozenset({"speech"})}, "mandatory_sensory_disability"),
        ({"disabilities": frozenset({"mental"})}, "mandatory_mental_capacity"),
        ({"disabilities": frozenset({"intellectual"})}, "mandatory_mental_capacity"),
        ({"sentence_months": None, "life": True}, "mandatory_life_or_death"),
        ({"sentence_months": None, "death": True}, "mandatory_life_or_death"),
    ],
)
def test_mandatory_defence_forces_appointed_counsel(policy, change, rule):
    tier, mandatory, reasons = triage_evaluate(facts(**change), policy)
    assert (tier, mandatory) == ("appointed_counsel", True)
    assert rule in rules_of(reasons)


def test_18_year_old_is_not_a_minor(policy):
    assert triage_evaluate(facts(age=18), policy)[1] is False


def test_thresholds_come_from_the_office_policy(office, staff, policy):
    from triage.services import policy_update

    policy_update(
        office=office,
        acting_user=staff,
        expected_version=1,
        values={"sentence_threshold_months": 60, "co_accused_to_counsel": False},
    )
    newer = policy_current(office=office)
    assert triage_evaluate(facts(sentence_months=48), newer)[0] == "duty_lawyer"
    assert triage_evaluate(facts(co_accused=1), newer)[0] == "duty_lawyer"


def test_decision_keeps_policy_version_and_reasons_after_policy_changes(
    office, staff, procuratorate
):
    from triage.services import policy_update

    case = make_case(
        procuratorate=procuratorate,
        code="CL264",
        tier_no=2,
        possible_sentence_max_months=48,
    )
    decision = case.triage_decisions.get()
    assert decision.policy.version == 1 and case.tier == "appointed_counsel"
    policy_update(
        office=office,
        acting_user=staff,
        expected_version=1,
        values={"sentence_threshold_months": 60},
    )
    decision.refresh_from_db()
    assert decision.policy.version == 1
    assert decision.reasons[0]["params"] == {"months": 48, "threshold": 36}
    assert "36" in decision.reasons[0]["detail_en"]
    assert TimelineEntry.objects.filter(case=case, kind="triaged").exists()


def test_possible_sentence_falls_back_to_highest_charged_tier(procuratorate):
    case = make_case(
        procuratorate=procuratorate,
        code="CL264",
        tier_no=2,
        possible_sentence_max_months=None,
    )
    decision = case.triage_decisions.get()
    assert decision.reasons[0]["params"]["months"] == 120


def test_life_tier_is_mandatory_even_with_low_estimate(procuratorate):
    case = make_case(
        procuratorate=procuratorate,
        code="CL232",
        tier_no=2,
        possible_sentence_max_months=24,
    )
    decision = case.triage_decisions.get()
    assert decision.mandatory_defence and "mandatory_life_or_death" in rules_of(decision.reasons)


def test_minor_from_birth_date_at_notice(procuratorate):
    born = timezone.localdate() - timedelta(days=17 * 365)
    case = make_case(
        procuratorate=procuratorate,
        accused={
            "name": "小明",
            "id_number": valid_id_number(born),
            "birth_date": born,
            "gender": "M",
        },
    )
    assert case.triage_decisions.get().mandatory_defence


def test_policy_created_once_with_defaults(office):
    first = policy_current(office=office)
    assert policy_current(office=office) == first
    assert TriagePolicy.objects.filter(office=office).count() == 1
    assert (first.sentence_threshold_months, first.notice_days_fast_track) == (36, 3)


def test_date_helper_is_sane():
    assert date(2026, 1, 1) < date(2026, 1, 2)
