"""A monthly report belongs to one agreement: the one its partner takes part in during the
month (the latest to start, if several). Reports written before agreements had parties go to
the agreement in force that month, else to the latest one."""

from django.db import migrations
from django.db.models import Q


def _agreement_of(Agreement, organisation_id, first, following):
    in_force = Agreement.objects.filter(starts_on__lt=following).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    )
    party = in_force.filter(
        Q(party_set__organisation_id=organisation_id, party_set__joined_on__lt=following)
        & (Q(party_set__left_on__isnull=True) | Q(party_set__left_on__gte=first))
    )
    for candidates in (party, in_force, Agreement.objects.all()):
        agreement = candidates.order_by("-starts_on", "-id").first()
        if agreement is not None:
            return agreement
    return None


def forwards(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    MonthlyReport = apps.get_model("finance", "MonthlyReport")
    for report in MonthlyReport.objects.filter(agreement__isnull=True):
        first = report.month
        following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
        agreement = _agreement_of(Agreement, report.organisation_id, first, following)
        if agreement is None:
            raise RuntimeError(
                "Monthly reports exist but no agreement does: enter the agreement "
                "(manage.py shell or the agreements page of an earlier version) and migrate again."
            )
        report.agreement = agreement
        report.save(update_fields=["agreement"])


class Migration(migrations.Migration):
    # Its own migration: PostgreSQL cannot alter a table in the transaction that updated it.
    dependencies = [("finance", "0003_report_agreement")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
