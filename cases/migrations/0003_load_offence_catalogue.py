"""Load the charge catalogue as in force from Amendment XII (2024-03-01).

The data file is frozen with this migration: a later amendment gets its own
file and migration, adding rows with a later ``effective_from``.
"""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "offences_2024-03-01.json"
EFFECTIVE_FROM = date(2024, 3, 1)


def load(apps, schema_editor):
    Offence = apps.get_model("cases", "Offence")
    OffenceTier = apps.get_model("cases", "OffenceTier")
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    offences = Offence.objects.bulk_create(
        Offence(
            code=e["code"],
            article=e["article"],
            name_zh=e["name_zh"],
            name_en=e["name_en"],
            effective_from=EFFECTIVE_FROM,
        )
        for e in entries
    )
    OffenceTier.objects.bulk_create(
        OffenceTier(
            offence=offence,
            tier=t["tier"],
            min_months=t["min_months"],
            max_months=t["max_months"],
            life=t["life"],
            death=t["death"],
            description_zh=t["description_zh"],
            description_en=t["description_en"],
        )
        for offence, e in zip(offences, entries, strict=True)
        for t in e["tiers"]
    )


def unload(apps, schema_editor):
    Offence = apps.get_model("cases", "Offence")
    Offence.objects.filter(effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(load, unload)]
