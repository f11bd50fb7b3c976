"""The 429 SSYK 2012 unit groups, from the copy shipped with the app (data/ssyk2012.csv)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "ssyk2012.csv"


def load(apps, schema_editor):
    Occupation = apps.get_model("jobs", "Occupation")
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = [
            Occupation(code=row["code"], name_sv=row["name_sv"], name_en=row["name_en"])
            for row in csv.DictReader(handle)
        ]
    Occupation.objects.bulk_create(rows, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("jobs", "Occupation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
