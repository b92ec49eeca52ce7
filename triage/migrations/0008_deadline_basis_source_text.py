"""Rows stored before bases were kept as source text hold them translated
(in the language of the request that opened them): turn each known text, in
either language, back into its source text and parameters."""

import re

from django.db import migrations
from django.utils import translation

SOURCES = [
    "CPL 172: fast-track, %(d)s days",
    "CPL 172: one month",
    "LAL 36: within 3 working days of notice",
    "Lawyer needed by the procuratorate",
    "Hearing scheduled by the procuratorate",
    "Plea signing scheduled by the procuratorate",
    "Escalated by the duty lawyer: %(h)s hours",
]


def _pattern(text: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", text)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else rf"(?P<{part}>\d+)" for i, part in enumerate(parts)
    )
    return re.compile(regex)


def forwards(apps, schema_editor):
    Deadline = apps.get_model("triage", "Deadline")
    patterns = []
    for source in SOURCES:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                patterns.append((_pattern(translation.gettext(source)), source))
    changed = []
    rows = Deadline.objects.exclude(basis="").exclude(basis__in=SOURCES).only("basis")
    for deadline in rows.iterator(chunk_size=2000):
        for pattern, source in patterns:
            match = pattern.fullmatch(deadline.basis)
            if match:
                deadline.basis = source
                deadline.basis_params = {k: int(v) for k, v in match.groupdict().items()}
                changed.append(deadline)
                break
        if len(changed) >= 2000:
            Deadline.objects.bulk_update(changed, ["basis", "basis_params"])
            changed = []
    Deadline.objects.bulk_update(changed, ["basis", "basis_params"])


class Migration(migrations.Migration):
    dependencies = [("triage", "0007_deadline_basis_default")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
