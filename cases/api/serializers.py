"""Case JSON as the intake contract (v1) defines it."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Case, CaseStatus, Offence, OffenceTier, Stage, Tier
from cases.selectors import case_current_assignment
from triage.services import case_current_decision, decision_reasons


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Dotted path of the field, e.g. accused.id_number")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. invalid_checksum")
    message = serializers.CharField(help_text="In the Accept-Language language")


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
    id = serializers.UUIDField(required=False, help_text="409 only: the existing case")


class AssignmentOutSerializer(serializers.Serializer):
    lawyer_name = serializers.CharField()
    lawyer_phone = serializers.CharField()
    license_no = serializers.CharField(allow_null=True)
    role = serializers.ChoiceField(choices=["duty_lawyer", "appointed_counsel"])
    assigned_at = serializers.DateTimeField()


class TriageReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    detail = serializers.CharField()


class CaseOutSerializer(serializers.Serializer):
    """The case as the contract returns it. A plain serializer: it is built on
    every intake response, and model introspection would cost more than it saves."""

    id = serializers.UUIDField(read_only=True)
    external_ref = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    tier = serializers.ChoiceField(
        choices=Tier.choices, read_only=True, help_text="Empty until triaged"
    )
    mandatory_defence = serializers.BooleanField(read_only=True)
    triage_reasons = serializers.SerializerMethodField()
    notice_sufficient = serializers.BooleanField(read_only=True, allow_null=True)
    assignment = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(TriageReasonSerializer(many=True))
    def get_triage_reasons(self, case: Case) -> list[dict]:
        reasons = decision_reasons(case_current_decision(case), get_language() or "zh-hans")
        return [{"rule": r["rule"], "detail": r["detail"]} for r in reasons]

    @extend_schema_field(AssignmentOutSerializer(allow_null=True))
    def get_assignment(self, case: Case) -> dict | None:
        current = case_current_assignment(case)
        if current is None:
            return None
        lawyer = current.lawyer
        return {
            "lawyer_name": lawyer.user.display_name,
            "lawyer_phone": lawyer.phone,
            "license_no": lawyer.licence_no,
            "role": current.role,
            "assigned_at": serializers.DateTimeField().to_representation(current.started_at),
        }


class OffenceTierOutSerializer(serializers.ModelSerializer):
    description = serializers.CharField(source="description_zh")

    class Meta:
        model = OffenceTier
        fields = [
            "tier",
            "min_months",
            "max_months",
            "life",
            "death",
            "description",
            "description_en",
        ]


class OffenceOutSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_zh")
    tiers = OffenceTierOutSerializer(many=True)

    class Meta:
        model = Offence
        fields = ["code", "name", "name_en", "article", "effective_from", "tiers"]
