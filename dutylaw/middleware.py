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
