from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.api.auth import token_hash
from cases.models import ApiClient

pytestmark = pytest.mark.django_db


def test_prints_token_alone_on_last_line(procuratorate):
    out = StringIO()
    call_command(
        "create_api_client",
        "--procuratorate",
        "PROC-A",
        "--name",
        "系统",
        stdout=out,
        stderr=StringIO(),
    )
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get()
    assert client.token_hash == token_hash(token) and client.procuratorate == procuratorate


def test_unknown_procuratorate_needs_create(office):
    with pytest.raises(CommandError):
        call_command(
            "create_api_client",
            "--procuratorate",
            "NEW",
            "--name",
            "x",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    out = StringIO()
    call_command(
        "create_api_client",
        "--procuratorate",
        "NEW",
        "--name",
        "x",
        "--create",
        stdout=out,
        stderr=StringIO(),
    )
    assert ApiClient.objects.get().procuratorate.office == office
