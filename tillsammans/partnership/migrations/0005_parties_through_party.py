"""Parties are read through Party (with its dates) from now on; the plain table goes.

Django cannot add ``through`` to a many-to-many field in place, so the field is removed and
added again; its rows were copied into Party by 0004."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partnership", "0004_parties_with_dates")]

    operations = [
        migrations.RemoveField(model_name="agreement", name="parties"),
        migrations.AddField(
            model_name="agreement",
            name="parties",
            field=models.ManyToManyField(
                related_name="agreements",
                through="partnership.Party",
                to="partnership.organisation",
                verbose_name="parties",
            ),
        ),
        migrations.AlterField(
            model_name="agreement",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
            ),
        ),
    ]
