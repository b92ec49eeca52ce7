"""Services for procuratorate API clients: create, rotate, revoke."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from cases.api.auth import token_hash
from cases.models import ApiClient
from lawyers.models import Procuratorate, Role, User


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def api_client_create(
    *, procuratorate: Procuratorate, name: str, callback_url: str = ""
) -> tuple[ApiClient, str]:
    """Create a client with its service user; return it and the token (shown once)."""
    token = _new_token()
    user = User.objects.create(
        username=f"api-{procuratorate.code.lower()}-{secrets.token_hex(4)}",
        full_name=name,
        role=Role.API_CLIENT,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client = ApiClient.objects.create(
        name=name,
        procuratorate=procuratorate,
        user=user,
        token_hash=token_hash(token),
        token_prefix=token[:8],
        callback_url=callback_url,
        callback_secret=secrets.token_hex(32),
    )
    return client, token


@transaction.atomic
def api_client_rotate(*, client: ApiClient) -> str:
    """Replace the token; the old one stops working at once."""
    token = _new_token()
    client.token_hash = token_hash(token)
    client.token_prefix = token[:8]
    client.revoked_at = None
    client.save(update_fields=["token_hash", "token_prefix", "revoked_at", "updated_at"])
    return token


def api_client_revoke(*, client: ApiClient) -> None:
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at", "updated_at"])
