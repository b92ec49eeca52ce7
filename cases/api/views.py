"""Intake API v1 for procuratorates' systems."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.intake import CaseEventInSerializer, CaseIntakeSerializer
from cases.api.serializers import CaseOutSerializer, ErrorsSerializer, OffenceOutSerializer
from cases.catalogue import offences_in_force
from cases.intake import case_notify, case_record_event, request_fingerprint
from cases.models import CaseStatus, Tier
from cases.selectors import cases_visible_to, with_current_assignment
from triage.models import TriageDecision

ERRORS = {
    400: OpenApiResponse(ErrorsSerializer, description="Bad input: one entry per problem."),
    401: OpenApiResponse(ErrorsSerializer, description="No valid token."),
    404: OpenApiResponse(ErrorsSerializer, description="Not this client's case."),
}


class NewestFirstCursor(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _case_queryset(user):
    decisions = TriageDecision.objects.order_by("-decided_at", "-id")
    return with_current_assignment(cases_visible_to(user), to_attr="history").prefetch_related(
        Prefetch("triage_decisions", decisions, to_attr="decisions")
    )


@extend_schema(tags=["cases"])
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A client's own cases. Other procuratorates' cases are 404."""

    serializer_class = CaseOutSerializer
    pagination_class = NewestFirstCursor

    def get_queryset(self):
        cases = _case_queryset(self.request.user)
        if self.action != "list":
            return cases
        params = self.request.query_params
        if ref := params.get("external_ref"):
            cases = cases.filter(external_ref=ref)
        if status_ := params.get("status"):
            if status_ not in CaseStatus.values:
                raise exceptions.ValidationError({"status": [_("Not a valid status.")]})
            cases = cases.filter(status=status_)
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
        ],
        responses={200: CaseOutSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: CaseOutSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=CaseIntakeSerializer,
        responses={
            201: OpenApiResponse(CaseOutSerializer, description="Created and triaged."),
            200: OpenApiResponse(
                CaseOutSerializer, description="A repeat of the same notice: the existing case."
            ),
            400: ERRORS[400],
            401: ERRORS[401],
            409: OpenApiResponse(
                ErrorsSerializer,
                description="Same external_ref, different body; `id` is the existing case.",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        client = request.auth
        now = timezone.now()
        notice = CaseIntakeSerializer(data=request.data, context={"on": timezone.localdate(now)})
        notice.is_valid(raise_exception=True)
        case, created = case_notify(
            procuratorate=client.procuratorate,
            data=notice.validated_data,
            at=now,
            actor=client.user,
            source=client.name,
            fingerprint=request_fingerprint(request.data),
        )
        if created:
            # What the response shows, from memory: a new case has no lawyer
            # yet and one decision, the one just made (reading them back cost
            # a third of the request).
            case.history, case.decisions = [], [case.notified_decision]
        else:
            case = _case_queryset(request.user).get(pk=case.pk)
        return Response(
            CaseOutSerializer(case).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=CaseEventInSerializer,
        responses={
            201: CaseOutSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        case = self.get_object()
        event = CaseEventInSerializer(data=request.data)
        event.is_valid(raise_exception=True)
        case_record_event(case=case, data=event.validated_data, actor=request.user)
        case = _case_queryset(request.user).get(pk=case.pk)
        return Response(CaseOutSerializer(case).data, status=status.HTTP_201_CREATED)


class ChargeListView(APIView):
    """The charge catalogue in force today; `?code=` filters to one code."""

    @extend_schema(
        tags=["charges"],
        parameters=[OpenApiParameter("code", str, description="e.g. CL133-1")],
        responses={200: OffenceOutSerializer(many=True), 401: ERRORS[401]},
    )
    def get(self, request):
        offences = offences_in_force()
        if code := request.query_params.get("code"):
            offences = offences.filter(code=code)
        return Response(OffenceOutSerializer(offences, many=True).data)
