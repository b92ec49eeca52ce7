"""The API's one parser (its own module: DRF reads the setting while its views
module loads, so the parser cannot live beside the exception handler)."""

from __future__ import annotations

from django.utils.http import parse_header_parameters
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON in UTF-8 only, nested at most ``MAX_DEPTH`` deep: anything else is
    a 400 or 415 naming the problem, never a server error (Python's parser
    and the request fingerprint recurse, so a deep enough body would crash them)."""

    MAX_DEPTH = 32

    def parse(self, stream, media_type=None, parser_context=None):
        charset = parse_header_parameters(media_type or "")[1].get("charset")
        if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise exceptions.UnsupportedMediaType(
                media_type, detail=gettext_lazy("Send JSON encoded in UTF-8.")
            )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(gettext_lazy("JSON nested too deeply.")) from None
        if _depth(data) > self.MAX_DEPTH:
            raise exceptions.ParseError(gettext_lazy("JSON nested too deeply."))
        return data


def _depth(data) -> int:
    """How deeply lists and objects nest in ``data`` (without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level > StrictJSONParser.MAX_DEPTH:
                return level
            stack.extend((item, level + 1) for item in value)
    return deepest
