"""The demo loader: realistic sizes, one login per role, runs once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import Case
from lawyers.models import Lawyer, LawyerKind, Role, User, Workstation

pytestmark = pytest.mark.django_db


def test_load_demo_once():
    call_command("load_demo")
    assert Case.objects.count() == 200
    assert 28 <= Lawyer.objects.count() <= 32
    assert set(Lawyer.objects.values_list("kind", flat=True)) == set(LawyerKind.values)
    assert Workstation.objects.count() == 4
    for username in ("admin", "staff", "lawyer", "counsel", "mentor", "student", "reviewer"):
        assert User.objects.get(username=username).check_password("dutylaw-demo")
    assert User.objects.get(username="staff").role == Role.STAFF
    assert Case.objects.filter(assignments__ended_at__isnull=True).count() > 100
    assert Case.objects.filter(mandatory_defence=True).exists()
    call_command("load_demo")
    assert Case.objects.count() == 200


def test_demo_identity_numbers_are_valid():
    from stdnum.cn import ric

    from cases.models import Accused

    call_command("load_demo")
    numbers = list(Accused.objects.values_list("id_number", flat=True))
    assert numbers and all(ric.is_valid(n) for n in numbers)
