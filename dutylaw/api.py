"""The API's exception handler: every error becomes ``{"errors": [...]}``.

One entry per problem, ``field`` a dotted path (``accused.id_number``,
``charges.0.code``), ``message`` in the request's language.
"""

from __future__ import annotations

import functools
import logging
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dutylaw.errors import Conflict, DomainError

logger = logging.getLogger(__name__)


@functools.cache
def _prototype(serializer_class: type[serializers.Serializer], language: str | None):
    """One instance per class and language: DRF formats some messages (length
    and range limits) once per field and keeps the text, in the language of
    the request that first needed it."""
    return serializer_class()


_context: ContextVar[dict] = ContextVar("validation_context", default={})  # noqa: B039 (never mutated)


def validated(serializer_class: type[serializers.Serializer], data: Any, **context: Any) -> dict:
    """What ``serializer_class(data=data).is_valid(raise_exception=True)``
    would give (the same data, the same ``ValidationError``), from one
    instance per class and process.

    A serializer deep-copies and rebuilds every declared field each time it is
    instantiated, which on the intake path cost more than the validation
    itself. ``run_validation`` keeps no state on the instance (only
    ``is_valid`` stores data and errors), so the bound fields can serve every
    request of the same language. What a serializer would read from its
    context it reads from ``validation_context()``, which holds ``context``
    for this call only (a context variable: each thread and task sees its own).
    A JSON ``null`` body is refused as any other body that is not an object.
    """
    prototype = _prototype(serializer_class, get_language())
    token = _context.set(context)
    try:
        if data is None:
            return prototype.to_internal_value(data)  # "expected a dictionary"
        return prototype.run_validation(data)
    finally:
        _context.reset(token)


def validation_context() -> dict:
    """The keyword arguments of the ``validated`` call running now."""
    return _context.get()


def represented(serializer_class: type[serializers.Serializer], instance: Any) -> dict:
    """``serializer_class(instance).data`` from one instance per class and
    process, for output serializers that read no context."""
    return _prototype(serializer_class, get_language()).to_representation(instance)


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
