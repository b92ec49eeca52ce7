"""factory_boy factories; cases are notified through the real service."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import factory
from stdnum.cn import ric

from cases.api.intake import CaseIntakeSerializer
from cases.catalogue import catalogue_in_force
from cases.intake import case_notify
from lawyers.models import (
    Lawyer,
    LawyerKind,
    LegalAidOffice,
    Procuratorate,
    Role,
    User,
)

PASSWORD = "correct-horse-battery"
_refs = itertools.count(1)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalAidOffice

    code = factory.Sequence(lambda n: f"OFF-{n}")
    name = factory.Sequence(lambda n: f"法律援助中心{n}")


class ProcuratorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procuratorate

    code = factory.Sequence(lambda n: f"PROC-{n}")
    name = factory.Sequence(lambda n: f"人民检察院{n}")
    office = factory.SubFactory(OfficeFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LawyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lawyer

    user = factory.SubFactory(UserFactory, role=Role.LAWYER)
    office = factory.SubFactory(OfficeFactory)
    kind = LawyerKind.SOCIAL
    licence_no = factory.Sequence(lambda n: f"11101200{n:08d}")
    phone = "13900000000"
    takes_complex_cases = False


def valid_id_number(born: date = date(1990, 5, 17), seq: int = 123) -> str:
    body = f"110105{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # the last digit is a placeholder


def notice(*, code: str = "CL264", tier_no: int = 1, **fields) -> dict:
    """A validated notice, as ``CaseIntakeSerializer`` gives it: the charge as
    the catalogue tier in force, the other fields as the contract names them."""
    tier = catalogue_in_force([code])[code][tier_no]
    data = {
        "external_ref": f"京朝检刑诉〔2026〕{next(_refs)}号",
        "procedure": "fast_track",
        "stage": "prosecution_review",
        "plea": True,
        "accused": {
            "name": "张三丰",
            "id_number": valid_id_number(),
            "gender": "M",
            "birth_date": date(1990, 5, 17),
        },
        "charges": [tier],
        "possible_sentence_max_months": tier.max_months,
    }
    unknown = set(fields) - set(CaseIntakeSerializer().fields)
    if unknown:
        raise TypeError(f"not fields of a notice: {sorted(unknown)} (triage decides the tier)")
    data.update(fields)
    return data


def make_case(
    *, procuratorate, code: str = "CL264", tier_no: int = 1, at: datetime | None = None, **fields
):
    """A case as production makes it: notified through ``case_notify``, and so
    triaged by the rules, with its decision, timeline and deadlines. A test
    that needs a tier chooses the facts that give it (a charge, a sentence, a
    flag), or overrides triage as staff would."""
    case, _created = case_notify(
        procuratorate=procuratorate, data=notice(code=code, tier_no=tier_no, **fields), at=at
    )
    return case
