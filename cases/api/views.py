"""Intake API v1 for procuratorates' systems."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.pagination import CursorPagination

from cases.api.serializers import CaseOutSerializer
from cases.models import Assignment, CaseStatus, Tier
from cases.selectors import cases_visible_to


class NewestFirstCursor(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(tags=["cases"])
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """A client's own cases. Other procuratorates' cases are 404."""

    serializer_class = CaseOutSerializer
    pagination_class = NewestFirstCursor

    def get_queryset(self):
        current = Assignment.objects.filter(ended_at__isnull=True).select_related("lawyer__user")
        cases = cases_visible_to(self.request.user).prefetch_related(
            Prefetch("assignments", current, to_attr="history")
        )
        params = self.request.query_params
        if ref := params.get("external_ref"):
            cases = cases.filter(external_ref=ref)
        if status := params.get("status"):
            if status not in CaseStatus.values:
                raise exceptions.ValidationError({"status": [_("Not a valid status.")]})
            cases = cases.filter(status=status)
        if tier := params.get("tier"):
            if tier not in Tier.values:
                raise exceptions.ValidationError({"tier": [_("Not a valid tier.")]})
            cases = cases.filter(tier=tier)
        if since := params.get("updated_since"):
            try:
                moment = parse_datetime(since)
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                raise exceptions.ValidationError(
                    {"updated_since": [_("Give a date and time with a UTC offset (ISO 8601).")]}
                )
            cases = cases.filter(updated_at__gte=moment)
        return cases

    @extend_schema(
        parameters=[
            OpenApiParameter("external_ref", str),
            OpenApiParameter("status", str, enum=CaseStatus.values),
            OpenApiParameter("tier", str, enum=Tier.values),
            OpenApiParameter("updated_since", str, description="ISO 8601 with offset"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
