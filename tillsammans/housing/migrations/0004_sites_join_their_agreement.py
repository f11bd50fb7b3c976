"""Each site offers its places under the agreement its organisation takes part in on the day
it opens (the latest to start, if several); a site with none stays outside any agreement."""

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    Site = apps.get_model("housing", "Site")
    for site in Site.objects.filter(agreement__isnull=True):
        day = site.opens_on
        agreement = (
            Agreement.objects.filter(
                Q(party_set__organisation_id=site.organisation_id, party_set__joined_on__lte=day)
                & (Q(party_set__left_on__isnull=True) | Q(party_set__left_on__gte=day))
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .order_by("-starts_on", "-id")
            .first()
        )
        if agreement is None:  # opened before the agreement: the organisation's latest
            agreement = (
                Agreement.objects.filter(party_set__organisation_id=site.organisation_id)
                .order_by("-starts_on", "-id")
                .first()
            )
        if agreement is not None:
            site.agreement = agreement
            site.save(update_fields=["agreement"])


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0003_site_agreement"),
        ("partnership", "0005_parties_through_party"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
