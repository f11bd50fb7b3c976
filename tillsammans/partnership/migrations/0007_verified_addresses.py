"""Every user made before now gets their address recorded as verified, as every user made from
now on does (partnership.services._new_member): allauth refuses two-factor set-up to an
account without a verified address, and no one here signs themselves up."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("core", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user.pk, email=user.email, primary=True, verified=True)
            for user in User.objects.exclude(pk__in=known)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0006_invitations"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("core", "0005_stored_file"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
