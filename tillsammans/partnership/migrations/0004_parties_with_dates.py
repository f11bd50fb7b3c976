"""Each agreement gets its public id, and each of its parties a Party row joined on the day the
agreement starts (the dates of joining were not recorded before)."""

import uuid

from django.db import migrations


def forwards(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    Party = apps.get_model("partnership", "Party")
    for agreement in Agreement.objects.all():
        agreement.public_id = uuid.uuid4()
        agreement.save(update_fields=["public_id"])
        for organisation in agreement.parties.all():
            Party.objects.get_or_create(
                agreement=agreement,
                organisation=organisation,
                defaults={"joined_on": agreement.starts_on, "left_on": agreement.ends_on},
            )


def backwards(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    Party = apps.get_model("partnership", "Party")
    for party in Party.objects.all():
        Agreement.objects.get(pk=party.agreement_id).parties.add(party.organisation_id)


class Migration(migrations.Migration):
    dependencies = [("partnership", "0003_documents_governance_goals")]

    operations = [migrations.RunPython(forwards, backwards)]
