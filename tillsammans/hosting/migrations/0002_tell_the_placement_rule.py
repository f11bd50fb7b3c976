"""Copy what the placement rule reads of host homes into reception's rows (ADR 18): the
organisations with a programme, each host's home (vetted, offered when) and each signed
agreement. From here on the hosting services keep them up to date."""

from django.db import migrations

VETTING_STEPS = ("home_visit", "identity", "reference")


def forward(apps, schema_editor):
    Programme = apps.get_model("hosting", "Programme")
    Host = apps.get_model("hosting", "Host")
    HostingAgreement = apps.get_model("hosting", "HostingAgreement")
    HostHomeProgramme = apps.get_model("reception", "HostHomeProgramme")
    HostHome = apps.get_model("reception", "HostHome")
    HostHomeGuest = apps.get_model("reception", "HostHomeGuest")
    for programme in Programme.objects.all():
        HostHomeProgramme.objects.get_or_create(organisation_id=programme.organisation_id)
    homes = {}
    for host in Host.objects.all():
        homes[host.pk], _created = HostHome.objects.update_or_create(
            unit_id=host.unit_id,
            defaults={
                "vetted": all(getattr(host, f"{step}_on") is not None for step in VETTING_STEPS),
                "available_from": host.available_from,
                "available_until": host.available_until,
            },
        )
    for agreement in HostingAgreement.objects.all():
        HostHomeGuest.objects.update_or_create(
            agreement=agreement.public_id,
            defaults={
                "home": homes[agreement.host_id],
                "household_id": agreement.household_id,
                "starts_on": agreement.starts_on,
                "ends_on": agreement.ends_on,
                "ended_on": agreement.ended_on,
            },
        )


def backward(apps, schema_editor):
    apps.get_model("reception", "HostHomeGuest").objects.all().delete()
    apps.get_model("reception", "HostHome").objects.all().delete()
    apps.get_model("reception", "HostHomeProgramme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hosting", "0001_initial"),
        ("reception", "0003_host_homes_for_the_placement_rule"),
    ]

    operations = [migrations.RunPython(forward, backward)]
