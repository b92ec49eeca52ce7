"""Creation and change times: set on insert unless the row's own moment is given."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lawyers.models import LegalAidOffice

pytestmark = pytest.mark.django_db


def test_a_new_row_is_stamped_now_unless_given_its_moment(time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    plain = LegalAidOffice.objects.create(code="S-1", name="一")
    assert plain.created_at == plain.updated_at == now
    earlier = now - timedelta(days=3)
    dated = LegalAidOffice(code="S-2", name="二", created_at=earlier, updated_at=earlier)
    dated.save()
    dated.refresh_from_db()
    assert dated.created_at == dated.updated_at == earlier
    time_machine.move_to(now + timedelta(hours=1), tick=False)
    dated.name = "二号"
    dated.save()
    dated.refresh_from_db()
    assert dated.created_at == earlier  # kept
    assert dated.updated_at == now + timedelta(hours=1)  # a change is stamped when made
