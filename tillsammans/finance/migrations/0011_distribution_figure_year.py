"""A distribution figure is for a year: the state pays each place of a year's figure once, and
a new year's figure afresh. The figures recorded before are for the year they were set in.

Figures came with migration 0009 of the same unreleased work (issue 14); no installation has
figures of several years under the earlier rule, so no computed month changes here. A figure
set in December for the next year is corrected by removing it and recording it again.
"""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import ExtractYear


def year_they_were_set(apps, schema_editor):
    DistributionFigure = apps.get_model("finance", "DistributionFigure")
    DistributionFigure.objects.update(year=ExtractYear(F("decided_on")))


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0010_payment_file_once_under_any_agreement"),
    ]

    operations = [
        migrations.AddField(
            model_name="distributionfigure",
            name="year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(year_they_were_set, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="distributionfigure",
            name="year",
            field=models.PositiveSmallIntegerField(
                help_text="The year the figure is for: the year it is set, or the next when it "
                "is set in advance.",
                verbose_name="for the year",
            ),
        ),
    ]
