"""Headers every response carries."""

from __future__ import annotations

# Scripts only from our own origin (htmx is served locally, no inline script);
# inline style attributes are allowed because the Django admin uses them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        # Case data must not linger in shared browsers' or proxies' caches; static
        # files keep the long cache headers WhiteNoise gave them.
        response.headers.setdefault("Cache-Control", "no-store")
        return response


class RejectNulMiddleware:
    """PostgreSQL text cannot hold NUL, so a NUL in a query parameter would fail
    deep in a query. Refuse it at the edge: 400, naming the parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return self._refuse(request, name.replace("\x00", ""))
        return self.get_response(request)

    def _refuse(self, request, name: str):
        from django.http import HttpResponseBadRequest, JsonResponse
        from django.utils.translation import gettext as _

        message = _("This value contains a NUL character.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"errors": [{"field": name, "code": "null_characters", "message": message}]},
                status=400,
            )
        return HttpResponseBadRequest(message)
