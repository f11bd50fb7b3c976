"""A preferred district becomes an anchor of the kind "district"; data only.

Backwards, only anchors of that kind go back to the preferred district: a school's or a job's
district was never a preference and has no column to return to.
"""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    household = apps.get_model("people", "Household")
    household.objects.exclude(preferred_district="").update(
        anchor_kind="district", anchor_district=F("preferred_district")
    )


def backwards(apps, schema_editor):
    household = apps.get_model("people", "Household")
    household.objects.filter(anchor_kind="district").update(
        preferred_district=F("anchor_district")
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_household_anchor")]

    operations = [migrations.RunPython(forwards, backwards)]
