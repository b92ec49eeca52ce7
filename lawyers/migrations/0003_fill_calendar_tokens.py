"""Give every existing lawyer a calendar-feed secret before it becomes unique."""

import secrets

from django.db import migrations


def fill(apps, schema_editor):
    Lawyer = apps.get_model("lawyers", "Lawyer")
    for lawyer in Lawyer.objects.filter(calendar_token__isnull=True):
        lawyer.calendar_token = secrets.token_urlsafe(32)
        lawyer.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("lawyers", "0002_rosters")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
