"""Validation of intake requests (contract v1): one error per problem, each
naming its field with a dotted path, in the request's language."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from cases.catalogue import catalogue_in_force, facility_by_code
from cases.models import (
    CaseFlag,
    CustodyMeasure,
    Disability,
    Gender,
    Procedure,
    Stage,
)
from dutylaw.api import BodySerializer, SingleLineField
from lawyers.models import Court

MAX_CHARGES = 20


def notice_day(field: serializers.Field) -> date:
    """The local day of the notice being validated (context ``on``), today by default."""
    return field.context.get("on") or timezone.localdate()


class StrictBooleanField(serializers.BooleanField):
    """JSON true/false only; "yes" or 1 are type errors, not booleans."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class StrictIntegerField(serializers.IntegerField):
    """JSON integers only; "6" and 6.5 are type errors."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class AccusedInSerializer(serializers.Serializer):
    name = SingleLineField(max_length=100)
    id_number = SingleLineField(
        required=False, allow_blank=True, max_length=18, help_text=_("18-character resident ID")
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    ethnicity = SingleLineField(required=False, allow_blank=True, max_length=30)
    language = SingleLineField(required=False, allow_blank=True, max_length=20)
    disabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Disability.choices),
        required=False,
        max_length=len(Disability.values),
    )

    def validate_birth_date(self, value):
        if value is not None and value > notice_day(self):
            raise serializers.ValidationError(
                _("The date of birth is in the future."), code="future_date"
            )
        if value is not None and value.year < 1900:
            raise serializers.ValidationError(_("The date of birth is too early."), code="invalid")
        return value

    def validate_id_number(self, value):
        if not value:
            return value
        number = value.strip().upper()
        if len(number) != 18:
            raise serializers.ValidationError(
                _("A resident ID number has 18 characters."), code="invalid_length"
            )
        try:
            ric.validate(number)
        except (InvalidLength, InvalidFormat):
            raise serializers.ValidationError(
                _("A resident ID number is 17 digits and a check digit (0-9 or X)."),
                code="invalid_format",
            ) from None
        except InvalidChecksum:
            raise serializers.ValidationError(
                _("The check digit of the resident ID number is wrong."), code="invalid_checksum"
            ) from None
        except InvalidComponent:
            try:
                ric.get_birth_date(number)
            except InvalidComponent:
                raise serializers.ValidationError(
                    _("The date of birth in the resident ID number is not a real date."),
                    code="invalid_birth_date",
                ) from None
            raise serializers.ValidationError(
                _("The region code of the resident ID number does not exist."),
                code="invalid_region",
            ) from None
        if ric.get_birth_date(number) > notice_day(self):
            raise serializers.ValidationError(
                _("The date of birth in the resident ID number is in the future."),
                code="future_date",
            )
        return number

    def validate(self, attrs):
        number, born = attrs.get("id_number"), attrs.get("birth_date")
        if number and born and ric.get_birth_date(number) != born:
            raise serializers.ValidationError(
                {
                    "birth_date": serializers.ErrorDetail(
                        _("The date of birth does not agree with the resident ID number."),
                        code="birth_date_mismatch",
                    )
                }
            )
        if number and not born:
            attrs["birth_date"] = ric.get_birth_date(number)
        return attrs


class ChargeInSerializer(serializers.Serializer):
    code = SingleLineField(max_length=20, help_text=_("Catalogue code, e.g. CL133-1"))
    tier = StrictIntegerField(min_value=1, max_value=20, help_text=_("Sentencing tier, from 1"))


class CustodyInSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=CustodyMeasure.choices)
    facility_code = SingleLineField(required=False, allow_blank=True, max_length=30)


class CaseIntakeSerializer(BodySerializer):
    """POST /api/v1/cases/: a procuratorate notifies a case. Charges are
    resolved against the catalogue in force on the day of notice (context
    ``on``, today by default), read from the cache; the facility by its code."""

    external_ref = SingleLineField(max_length=100)
    procedure = serializers.ChoiceField(choices=Procedure.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    plea = StrictBooleanField(required=False, allow_null=True)
    accused = AccusedInSerializer()
    charges = serializers.ListField(
        child=ChargeInSerializer(), min_length=1, max_length=MAX_CHARGES
    )
    possible_sentence_max_months = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=600
    )
    file_volumes = StrictIntegerField(required=False, min_value=0, max_value=100_000, default=0)
    co_accused_refs = serializers.ListField(
        child=SingleLineField(max_length=100), required=False, max_length=100
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseFlag.choices),
        required=False,
        max_length=len(CaseFlag.values),
    )
    custody = CustodyInSerializer(required=False)
    needed_by = serializers.DateTimeField(required=False, allow_null=True)

    def validate_external_ref(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("This field may not be blank."), code="blank")
        return value

    def validate_charges(self, charges):
        catalogue = catalogue_in_force([c["code"] for c in charges], notice_day(self))
        errors, resolved, seen = [], [], set()
        for charge in charges:
            tiers = catalogue.get(charge["code"])
            problem = {}
            if tiers is None:
                problem["code"] = [
                    serializers.ErrorDetail(
                        _("Unknown charge code; see GET /api/v1/charges/."), code="unknown_code"
                    )
                ]
            elif not tiers:
                problem["tier"] = [
                    serializers.ErrorDetail(
                        _("No sentencing tiers are entered for this offence yet."),
                        code="tier_out_of_range",
                    )
                ]
            elif charge["tier"] not in tiers:
                problem["tier"] = [
                    serializers.ErrorDetail(
                        _("This offence has tiers 1 to %(n)s.") % {"n": len(tiers)},
                        code="tier_out_of_range",
                    )
                ]
            elif (charge["code"], charge["tier"]) in seen:
                problem["code"] = [
                    serializers.ErrorDetail(_("This charge is listed twice."), code="duplicate")
                ]
            errors.append(problem)
            if not problem:
                seen.add((charge["code"], charge["tier"]))
                resolved.append(tiers[charge["tier"]])
        if any(errors):
            raise serializers.ValidationError(errors)
        return resolved

    def validate_custody(self, custody):
        code = custody.get("facility_code")
        custody["facility"] = None
        if code:
            custody["facility"] = facility_by_code(code)
            if custody["facility"] is None:
                raise serializers.ValidationError(
                    {
                        "facility_code": serializers.ErrorDetail(
                            _("Unknown detention centre code."), code="unknown_facility"
                        )
                    }
                )
        return custody

    def validate_co_accused_refs(self, refs):
        return list(dict.fromkeys(r.strip() for r in refs if r.strip()))

    def validate(self, attrs):
        if attrs.get("external_ref") in attrs.get("co_accused_refs", []):
            raise serializers.ValidationError(
                {
                    "co_accused_refs": serializers.ErrorDetail(
                        _("A case cannot be its own co-accused."), code="invalid"
                    )
                }
            )
        return attrs


class CaseEventInSerializer(BodySerializer):
    """POST /api/v1/cases/{id}/events/: a stage change or another event."""

    TYPES = (
        "stage_changed",
        "hearing_scheduled",
        "plea_signing_scheduled",
        "withdrawn",
        "closed",
    )
    type = serializers.ChoiceField(choices=[(t, t) for t in TYPES])
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    at = serializers.DateTimeField(required=False)
    court_code = SingleLineField(required=False, allow_blank=True, max_length=30)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=500)

    REQUIRED = {
        "stage_changed": ("stage",),
        "hearing_scheduled": ("at",),
        "plea_signing_scheduled": ("at",),
        "withdrawn": (),
        "closed": (),
    }

    def validate(self, attrs):
        missing = [f for f in self.REQUIRED[attrs["type"]] if attrs.get(f) in (None, "")]
        if missing:
            raise serializers.ValidationError(
                {
                    f: serializers.ErrorDetail(_("This field is required."), code="required")
                    for f in missing
                }
            )
        code = attrs.get("court_code")
        if attrs["type"] == "hearing_scheduled" and code:
            attrs["court"] = Court.objects.filter(code=code).first()
            if attrs["court"] is None:
                raise serializers.ValidationError(
                    {
                        "court_code": serializers.ErrorDetail(
                            _("Unknown court code."), code="unknown_court"
                        )
                    }
                )
        return attrs
