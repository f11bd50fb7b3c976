"""Rebuild the search keys and texts: names written in Arabic script or Ge'ez get keys in
Latin letters (محمد, ዮናስ), and the common names' spellings (Mohammad, Mohammed, Muhammad;
Ahmad, Ahmed) each get the keys of all.

Data only; the schema is unchanged. Uses the live folding code on purpose: the keys must be
what the running search looks up. Going back leaves the added keys in place: they only add
spellings.
"""

from django.db import migrations, models

CHUNK = 2000


def rebuild(apps, schema_editor):
    from tillsammans.people.search import name_keys, search_text

    person_model = apps.get_model("people", "Person")
    key_model = apps.get_model("people", "PersonNameKey")
    key_model.objects.all().delete()
    fields = ("id", "first_name", "last_name", "first_name_latin", "last_name_latin",
              "name_swedish")  # fmt: skip
    rows = person_model.objects.order_by("id").values_list(*fields)
    keys: list[models.Model] = []
    texts: list[models.Model] = []
    for person_id, *names in rows.iterator(chunk_size=CHUNK):
        keys.extend(key_model(person_id=person_id, key=key) for key in sorted(name_keys(names)))
        texts.append(person_model(id=person_id, search_text=search_text(names)))
        if len(texts) >= CHUNK:
            key_model.objects.bulk_create(keys)
            person_model.objects.bulk_update(texts, ["search_text"])
            keys, texts = [], []
    key_model.objects.bulk_create(keys)
    person_model.objects.bulk_update(texts, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("people", "0010_household_unaccompanied")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
