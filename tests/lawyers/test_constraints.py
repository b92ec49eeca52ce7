"""Invariants the database enforces, whatever code writes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from lawyers.models import Court, Role, Workstation
from tests.factories import LawyerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_student_needs_mentor_and_no_licence(office, mentor):
    with pytest.raises(IntegrityError), transaction.atomic():
        LawyerFactory(office=office, kind="student", licence_no=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        LawyerFactory(office=office, kind="student", mentor=mentor)  # has a licence


def test_licensed_lawyer_needs_licence(office):
    with pytest.raises(IntegrityError), transaction.atomic():
        LawyerFactory(office=office, licence_no=None)


def test_staff_needs_office(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.STAFF, office=None)


def test_workstation_site_matches_kind(office):
    court = Court.objects.create(code="C1", name="法院")
    with pytest.raises(IntegrityError), transaction.atomic():
        Workstation.objects.create(
            office=office, code="W1", name="w", kind="detention_centre", court=court
        )
    Workstation.objects.create(office=office, code="W2", name="w", kind="court", court=court)
