"""The home page per role, the health check and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases.models import OPEN_STATUSES, PiiAccess
from cases.selectors import case_list, cases_needing_action
from dutylaw.decorators import person_required
from dutylaw.services import health_report
from lawyers.models import Role, User
from lawyers.selectors import shifts_for_lawyer, shifts_upcoming


def _soonest_first(cases: list, now) -> list:
    """Cases still to be attended first, soonest first; then the rest, latest first."""
    ahead = sorted(
        (c for c in cases if c.needed_by and c.needed_by >= now), key=lambda c: c.needed_by
    )
    rest = sorted(
        (c for c in cases if not c.needed_by or c.needed_by < now),
        key=lambda c: c.needed_by or c.created_at,
        reverse=True,
    )
    return ahead + rest


@person_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    if user.role == Role.LAWYER and hasattr(user, "lawyer"):
        lawyer = user.lawyer
        today = timezone.localdate()
        context = {
            "lawyer": lawyer,
            "today": today,
            "shifts_today": list(shifts_for_lawyer(lawyer=lawyer, day=today)),
            "shifts_next": list(shifts_upcoming(lawyer=lawyer, after=today, limit=3)),
            "my_cases": _soonest_first(
                list(case_list(user=user).filter(status__in=OPEN_STATUSES)[:60]), now
            )[:30],
        }
        return render(request, "home/lawyer.html", context)
    if user.role == Role.REVIEWER:
        recent_views = PiiAccess.objects.select_related("user", "case")[:10]
        return render(request, "home/reviewer.html", {"recent_views": recent_views})
    if user.role in (Role.STAFF, Role.ADMIN) or user.is_superuser:
        return render(request, "home/staff.html", cases_needing_action(user=user, now=now))
    return render(request, "home/none.html", status=403)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in person's choice also becomes the
    language their messages (inbox, e-mail, SMS) are written in."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        language = offered_language(request.POST.get("language"))
        if language and request.user.language != language:
            User.objects.filter(pk=request.user.pk).update(language=language)
    return response


def offered_language(code) -> str | None:
    """The site language ``code`` asks for ("en-us" is "en"), or None."""
    if not isinstance(code, str) or not code:
        return None
    try:
        language = get_supported_language_variant(code)
    except LookupError:
        return None
    return language if language in dict(settings.LANGUAGES) else None


class LoginView(auth_views.LoginView):
    """Signing in restores the language the person chose, on any device."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
