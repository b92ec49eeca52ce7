"""The API's exception handler: every error becomes ``{"errors": [...]}``.

One entry per problem, ``field`` a dotted path (``accused.id_number``,
``charges.0.code``), ``message`` in the request's language.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dutylaw.errors import Conflict, DomainError

logger = logging.getLogger(__name__)


# Characters a one-line value may not hold: controls (NUL, tab, CR, LF...),
# line and paragraph separators, and the bidirectional overrides and isolates
# that make text display in another order than it is stored.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_single_line(value: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI for ch in value)


class SingleLineField(serializers.CharField):
    """A CharField of one line: references, names, codes."""

    default_error_messages = {
        "single_line": gettext_lazy(
            "Use one line of text, without control or direction characters."
        )
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not is_single_line(value):
            self.fail("single_line")
        return value


class BodySerializer(serializers.Serializer):
    """A serializer of a request body, which must be a JSON object: ``null``
    is refused like any other body that is not one ("expected a dictionary",
    in the request's language), not with DRF's untranslated "No data provided"."""

    def run_validation(self, data=serializers.empty):
        if data is None:
            return self.to_internal_value(data)
        return super().run_validation(data)


def _flatten(detail: Any, path: str = "") -> list[dict[str, str]]:
    """Walk DRF's nested error detail into flat entries with dotted paths."""
    items: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "detail"):
                items.extend(_flatten(value, path))
            else:
                items.extend(_flatten(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                items.extend(_flatten(value, f"{path}.{index}" if path else str(index)))
            else:
                items.extend(_flatten(value, path))
    else:
        code = getattr(detail, "code", "invalid") or "invalid"
        items.append({"field": _text(path), "code": str(code), "message": _text(str(detail))})
    return items


def _text(value: str) -> str:
    """Messages may quote the input (``"x" is not a valid choice``); a lone
    surrogate from a JSON escape cannot be written as UTF-8, so it becomes '?'."""
    return value.encode("utf-8", "replace").decode("utf-8")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Conflict):
        body = {"errors": [i.as_dict() for i in exc.items], **exc.extra}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        return Response({"errors": [i.as_dict() for i in exc.items]}, status=400)
    if isinstance(exc, SuspiciousOperation):
        # Oversized or malformed requests Django itself refuses.
        return Response(
            {"errors": [{"field": "", "code": "bad_request", "message": _("Bad request.")}]},
            status=400,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", "error")
        errors = [{"field": "", "code": code, "message": _text(str(detail))}]
    response.data = {"errors": errors}
    return response
