"""The licence number a site kept as text becomes a licence of its own (issue #13).

The old field held only the number. The carried-over licence is as wide as the old rule
was, any age to 20, both sexes, the home's unblocked beds as its places, from the day the
site opened, until further notice, so that nothing changes until someone enters the
licence's own terms. A site that was not an HVB home kept no licence that the rule reads.
"""

from django.db import migrations
from django.db.models import Count, Q


def forwards(apps, schema_editor):
    Site = apps.get_model("housing", "Site")
    Licence = apps.get_model("housing", "Licence")
    sites = (
        Site.objects.filter(kind="hvb")
        .exclude(hvb_licence="")
        .annotate(beds=Count("units__beds", filter=Q(units__beds__blocked=False)))
    )
    Licence.objects.bulk_create(
        Licence(
            site_id=site.pk, number=site.hvb_licence, holder_id=site.organisation_id,
            min_age=0, max_age=20, sex="any", places=max(site.beds, 1),
            valid_from=site.opens_on,
        )  # fmt: skip
        for site in sites
    )


def backwards(apps, schema_editor):
    Site = apps.get_model("housing", "Site")
    Licence = apps.get_model("housing", "Licence")
    for licence in Licence.objects.order_by("site_id", "valid_from"):
        Site.objects.filter(pk=licence.site_id).update(hvb_licence=licence.number[:100])


class Migration(migrations.Migration):
    dependencies = [("housing", "0005_licences_and_homes_for_children")]

    operations = [migrations.RunPython(forwards, backwards)]
