"""Token authentication for procuratorate API clients.

Tokens are random, shown once, and stored only as SHA-256 hashes; a lookup
hashes the presented token and finds the client by the unique hash. The client
found is kept in the cache for a minute, keyed by the hash; saving a client
(rotation, revocation) or its user (deactivation) forgets it at once, in every
process, so a revoked or rotated token stops working on the next request.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from cases.models import ApiClient
from lawyers.models import Role, User

# Writing last_used_at on every request would turn each read into a write;
# once a minute is precise enough for "when was this token last used".
LAST_USED_RESOLUTION = timedelta(minutes=1)
CACHE_SECONDS = 60


def _key(digest: str) -> str:
    return f"apitoken:{digest}"


def tokens_forget(*digests: str) -> None:
    """Drop cached clients now, and again once the change commits (another
    process may have cached the old row in between)."""
    keys = [_key(d) for d in digests if d]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(pre_save, sender=ApiClient)
def _client_changing(sender, instance: ApiClient, **kwargs) -> None:
    if instance.pk:
        old = ApiClient.objects.filter(pk=instance.pk).values_list("token_hash", flat=True).first()
        tokens_forget(old or "", instance.token_hash)


@receiver(post_delete, sender=ApiClient)
def _client_deleted(sender, instance: ApiClient, **kwargs) -> None:
    tokens_forget(instance.token_hash)


@receiver(post_save, sender=User)
def _user_saved(sender, instance: User, created: bool, **kwargs) -> None:
    if not created and instance.role == Role.API_CLIENT:
        tokens_forget(*ApiClient.objects.filter(user=instance).values_list("token_hash", flat=True))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            token = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        digest = token_hash(token)
        client = cache.get(_key(digest))
        if client is None:
            client = (
                ApiClient.objects.select_related("user", "procuratorate")
                .filter(token_hash=digest, revoked_at__isnull=True)
                .first()
            )
            if client is None or not client.user.is_active:
                raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
            cache.set(_key(digest), client, CACHE_SECONDS)
        # Once a minute per client, whichever process serves it.
        if cache.add(f"apitoken-used:{client.pk}", 1, LAST_USED_RESOLUTION.total_seconds()):
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client.user, client

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI document."""

    target_class = "cases.api.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _('Token of an API client, sent as "Token <token>".'),
        }
