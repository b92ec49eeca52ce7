"""A bare DRF endpoint for the intake benchmark's baseline: authenticate the
token, insert one row, answer 201. Routed only when BENCH_ENDPOINTS is on."""

from __future__ import annotations

import uuid

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dutylaw.models import Heartbeat


class BareInsertView(APIView):
    @extend_schema(exclude=True)
    def post(self, request):
        Heartbeat.objects.create(name=f"bench-{uuid.uuid4().hex[:40]}", beat_at=timezone.now())
        return Response({"ok": True}, status=201)
