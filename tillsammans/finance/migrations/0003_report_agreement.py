"""A monthly report belongs to one agreement (filled in by the next migration)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_monthly_reports"),
        ("partnership", "0007_verified_addresses"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="monthlyreport", name="report_unique_version"),
        migrations.RemoveConstraint(
            model_name="monthlyreport", name="report_one_approved_per_month"
        ),
        migrations.RemoveConstraint(model_name="monthlyreport", name="report_one_open_per_month"),
        migrations.AddField(
            model_name="monthlyreport",
            name="agreement",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="monthly_reports",
                to="partnership.agreement",
                verbose_name="agreement",
            ),
        ),
    ]
