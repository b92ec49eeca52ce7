"""Chinese by default, a complete English translation, and a language switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_chinese_by_default(client, staff):
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "需要处理的案件" in body


@pytest.mark.django_db
def test_switch_to_english_and_back(client, staff):
    client.force_login(staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Cases needing action" in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "需要处理的案件" in client.get(reverse("home")).content.decode()


def _entries(po_text: str):
    """(msgid, msgstr-or-plural-forms, fuzzy) for each entry of a .po file."""
    import re

    blocks = po_text.split("\n\n")
    for block in blocks:
        if "msgid" not in block or 'msgid ""\nmsgstr ""\n"Project' in block:
            continue
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        strs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', block)
        values = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        yield msgid, values, fuzzy


def test_chinese_catalogue_is_complete():
    po = (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text()
    missing = [m for m, values, fuzzy in _entries(po) if m and (fuzzy or not all(values))]
    assert missing == []
