"""Rebuild the search keys: folded name words only, no longer their one-letter deletions.

Data only; the schema is unchanged. Uses the live folding code on purpose: the keys must be
what the running search looks up.
"""

from django.db import migrations, models

CHUNK = 2000


def rebuild(apps, schema_editor):
    from tillsammans.people.search import name_keys

    person_model = apps.get_model("people", "Person")
    key_model = apps.get_model("people", "PersonNameKey")
    key_model.objects.all().delete()
    fields = ("id", "first_name", "last_name", "first_name_latin", "last_name_latin",
              "name_swedish")  # fmt: skip
    rows = person_model.objects.order_by("id").values_list(*fields)
    batch: list[models.Model] = []
    for person_id, *names in rows.iterator(chunk_size=CHUNK):
        batch.extend(key_model(person_id=person_id, key=key) for key in sorted(name_keys(names)))
        if len(batch) >= CHUNK * 3:
            key_model.objects.bulk_create(batch)
            batch = []
    key_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_name_key_person_index")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
