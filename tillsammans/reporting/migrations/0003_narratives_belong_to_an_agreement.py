"""Each partner's text belongs to the agreement it wrote for: the one covering the year that
the organisation is party to (the latest to start, if several). A text of a year no agreement
of its organisation covers has nowhere to be shown and is removed. The quotes kept on the texts
until now had no consent recorded; they are not carried over (a quote now needs one)."""

import datetime as dt

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    AnnualNarrative = apps.get_model("reporting", "AnnualNarrative")
    for narrative in AnnualNarrative.objects.all():
        start, end = dt.date(narrative.year, 1, 1), dt.date(narrative.year, 12, 31)
        agreement = (
            Agreement.objects.filter(
                party_set__organisation_id=narrative.organisation_id, starts_on__lte=end
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
            .order_by("-starts_on", "-id")
            .first()
        )
        if agreement is None:
            narrative.delete()
        else:
            narrative.agreement = agreement
            narrative.save(update_fields=["agreement"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_report_editor"),
        ("partnership", "0006_invitations"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
