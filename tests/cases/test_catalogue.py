"""The charge catalogue in force, read from the cache and read afresh when an
offence or a tier changes."""

from __future__ import annotations

from datetime import date

import pytest

from cases.catalogue import catalogue_changed, catalogue_in_force
from cases.models import Offence, OffenceTier

pytestmark = pytest.mark.django_db


def test_codes_map_to_their_tiers(django_assert_num_queries):
    with django_assert_num_queries(2):  # the offences, then their tiers
        catalogue = catalogue_in_force(["CL264", "CL133-1", "CL999"], date(2026, 11, 29))
    assert sorted(catalogue["CL264"]) == [1, 2, 3]
    assert catalogue["CL264"][1].offence.code == "CL264"
    assert "CL999" not in catalogue


def test_a_second_read_is_from_the_cache(django_assert_num_queries):
    catalogue_in_force(["CL264"], date(2026, 11, 29))
    with django_assert_num_queries(0):
        assert "CL264" in catalogue_in_force(["CL264"], date(2026, 11, 29))


def test_the_version_in_force_on_the_day_is_read():
    old = Offence.objects.get(code="CL264", effective_from__lte=date(2026, 1, 1))
    newer = Offence.objects.create(
        code="CL264",
        article=old.article,
        name_zh=old.name_zh,
        name_en=old.name_en,
        effective_from=date(2030, 1, 1),
    )
    OffenceTier.objects.create(offence=newer, tier=1, min_months=0, max_months=12)
    before = catalogue_in_force(["CL264"], date(2029, 12, 31))["CL264"]
    on_the_day = catalogue_in_force(["CL264"], date(2030, 1, 1))["CL264"]
    after = catalogue_in_force(["CL264"], date(2030, 1, 2))["CL264"]
    assert before[1].offence == old and len(before) == 3
    assert on_the_day[1].offence == newer and list(on_the_day) == [1]
    assert after[1].offence == newer


def test_a_version_without_tiers_yet_is_empty_not_unknown():
    old = Offence.objects.get(code="CL264", effective_from__lte=date(2026, 1, 1))
    Offence.objects.create(
        code="CL264",
        article=old.article,
        name_zh=old.name_zh,
        name_en=old.name_en,
        effective_from=date(2030, 1, 1),
    )
    assert catalogue_in_force(["CL264"], date(2030, 6, 1))["CL264"] == {}


def test_saving_an_offence_or_a_tier_is_seen_at_once():
    day = date(2026, 11, 29)
    assert (
        catalogue_in_force(["CL264"], day)["CL264"][1].max_months
        == OffenceTier.objects.get(
            offence__code="CL264", offence__effective_from__lte=day, tier=1
        ).max_months
    )
    tier = catalogue_in_force(["CL264"], day)["CL264"][1]
    tier.max_months = 7
    tier.save()
    assert catalogue_in_force(["CL264"], day)["CL264"][1].max_months == 7
    tier.delete()
    assert 1 not in catalogue_in_force(["CL264"], day)["CL264"]


def test_a_bulk_change_is_seen_after_catalogue_changed():
    day = date(2026, 11, 29)
    catalogue_in_force(["CL264"], day)
    OffenceTier.objects.filter(offence__code="CL264", tier=1).update(max_months=8)
    assert catalogue_in_force(["CL264"], day)["CL264"][1].max_months != 8  # no signal: still cached
    catalogue_changed()
    assert catalogue_in_force(["CL264"], day)["CL264"][1].max_months == 8


def test_detention_centres_are_cached_and_read_afresh_when_saved(django_assert_num_queries):
    from cases.catalogue import facility_by_code
    from lawyers.models import DetentionCentre

    assert facility_by_code("KSS-9") is None  # an unknown code is not remembered
    centre = DetentionCentre.objects.create(code="KSS-9", name="第九看守所")
    assert facility_by_code("KSS-9") == centre
    with django_assert_num_queries(0):
        assert facility_by_code("KSS-9").name == "第九看守所"
    centre.name = "第九看守所（新址）"
    centre.save()
    assert facility_by_code("KSS-9").name == "第九看守所（新址）"
