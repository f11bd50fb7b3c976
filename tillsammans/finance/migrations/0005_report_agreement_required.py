"""Every monthly report has its agreement; one version, one approved and one open report per
agreement, partner and month."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("finance", "0004_reports_join_their_agreement")]

    operations = [
        migrations.AlterField(
            model_name="monthlyreport",
            name="agreement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="monthly_reports",
                to="partnership.agreement",
                verbose_name="agreement",
            ),
        ),
        migrations.AddConstraint(
            model_name="monthlyreport",
            constraint=models.UniqueConstraint(
                fields=("agreement", "organisation", "month", "version"),
                name="report_unique_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="monthlyreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "approved")),
                fields=("agreement", "organisation", "month"),
                name="report_one_approved_per_month",
            ),
        ),
        migrations.AddConstraint(
            model_name="monthlyreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["draft", "submitted", "returned"])),
                fields=("agreement", "organisation", "month"),
                name="report_one_open_per_month",
            ),
        ),
    ]
