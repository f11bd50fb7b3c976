"""Each service is offered under the agreement its organisation takes part in on the day the
service was made (the latest to start, if several), else the organisation's latest; a service
of an organisation in no agreement stays outside any."""

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    Service = apps.get_model("addedvalues", "Service")
    for service in Service.objects.filter(agreement__isnull=True):
        day = service.created_at.date()
        ours = Agreement.objects.filter(party_set__organisation_id=service.organisation_id)
        agreement = (
            ours.filter(starts_on__lte=day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .order_by("-starts_on", "-id")
            .first()
        ) or ours.order_by("-starts_on", "-id").first()
        if agreement is not None:
            service.agreement = agreement
            service.save(update_fields=["agreement"])


class Migration(migrations.Migration):
    dependencies = [
        ("addedvalues", "0003_service_agreement"),
        ("partnership", "0005_parties_through_party"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
