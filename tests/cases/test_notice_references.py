"""One query reads what a notice refers to: catalogue tiers in force, the
detention centre, the office's triage policy."""

from __future__ import annotations

from datetime import date

import pytest

from cases.intake import notice_references, references_of_notice
from cases.models import Offence, OffenceTier
from lawyers.models import DetentionCentre
from triage.services import policy_current

pytestmark = pytest.mark.django_db


def test_reads_tiers_facility_and_policy_in_one_query(office, django_assert_num_queries):
    centre = DetentionCentre.objects.create(code="KSS-1", name="第一看守所")
    policy = policy_current(office=office)
    with django_assert_num_queries(1):
        refs = notice_references(
            codes=["CL264", "CL133-1", "CL999"], facility_code="KSS-1", office_id=office.pk
        )
    assert set(refs.tiers) == {"CL264", "CL133-1"}  # the unknown code is absent
    assert sorted(refs.tiers["CL264"]) == [1, 2, 3]
    assert refs.tiers["CL264"][1].offence.code == "CL264"
    assert refs.facility == centre and refs.policy == policy


def test_nothing_found_is_empty_not_an_error(db):
    refs = notice_references(codes=[], facility_code="NOPE", office_id=None)
    assert refs.tiers == {} and refs.facility is None and refs.policy is None


def test_the_version_in_force_on_the_day_is_read(db):
    old = Offence.objects.get(code="CL264", effective_from__lte=date(2026, 1, 1))
    newer = Offence.objects.create(
        code="CL264",
        article=old.article,
        name_zh=old.name_zh,
        name_en=old.name_en,
        effective_from=date(2030, 1, 1),
    )
    OffenceTier.objects.create(offence=newer, tier=1, min_months=0, max_months=12)
    today = notice_references(codes=["CL264"], on=date(2026, 11, 29)).tiers["CL264"]
    later = notice_references(codes=["CL264"], on=date(2030, 6, 1)).tiers["CL264"]
    assert today[1].offence == old and len(today) == 3
    assert later[1].offence == newer and list(later) == [1]


def test_an_unvalidated_body_is_read_defensively(office):
    DetentionCentre.objects.create(code="KSS-1", name="第一看守所")
    body = {
        "charges": [{"code": "CL264"}, {"code": 5}, "CL133-1", {"code": "x\x00"}],
        "custody": {"facility_code": "KSS-1"},
    }
    refs = references_of_notice(body, office_id=office.pk)
    assert set(refs.tiers) == {"CL264"} and refs.facility.code == "KSS-1"
    for junk in (None, [], "text", {"charges": "CL264", "custody": ["KSS-1"]}):
        assert references_of_notice(junk, office_id=office.pk).tiers == {}
