"""Case JSON as the intake contract (v1) defines it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Case
from cases.selectors import case_current_assignment


class AssignmentOutSerializer(serializers.Serializer):
    lawyer_name = serializers.CharField()
    lawyer_phone = serializers.CharField()
    license_no = serializers.CharField(allow_null=True)
    role = serializers.ChoiceField(choices=["duty_lawyer", "appointed_counsel"])
    assigned_at = serializers.DateTimeField()


class TriageReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    detail = serializers.CharField()


class CaseOutSerializer(serializers.ModelSerializer):
    triage_reasons = serializers.SerializerMethodField()
    assignment = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "external_ref",
            "status",
            "stage",
            "tier",
            "mandatory_defence",
            "triage_reasons",
            "notice_sufficient",
            "assignment",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(TriageReasonSerializer(many=True))
    def get_triage_reasons(self, case: Case) -> list[dict]:
        # Filled by the triage engine; cases not yet triaged have no reasons.
        return list(getattr(case, "triage_reasons", []) or [])

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
