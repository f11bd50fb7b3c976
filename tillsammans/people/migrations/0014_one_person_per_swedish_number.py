"""One person per Swedish identity number.

Before the constraint, the services only checked numbers given at registration. A database
where two persons share a number is not changed here (which of them holds it is a person's
decision, not a migration's): the migration stops and names the households concerned, without
the numbers, so that a coordinator can correct the persons with the version that is running.
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_shared_numbers(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    shared = list(
        Person.objects.exclude(swedish_id_number="")
        .values("swedish_id_number")
        .annotate(persons=Count("id"))
        .filter(persons__gt=1)
        .values_list("swedish_id_number", flat=True)
    )
    if not shared:
        return
    held = (
        Person.objects.filter(swedish_id_number__in=shared)
        .order_by("swedish_id_number", "id")
        .values_list("swedish_id_number", "household__reference", "public_id")
    )
    groups: dict[str, list[str]] = {}
    for number, household, public_id in held:
        groups.setdefault(number, []).append(f"household {household}, person {public_id}")
    lines = [f"  - {'; '.join(members)}" for members in groups.values()]
    raise RuntimeError(
        f"{len(groups)} Swedish identity numbers are each held by more than one person. "
        "Nothing was changed. Open each person below (Households → the household → the "
        "person → Edit), keep the number only on the person it belongs to, then migrate "
        "again:\n" + "\n".join(lines)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0013_path_summary"),
    ]

    operations = [
        migrations.RunPython(refuse_shared_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("swedish_id_number", ""), _negated=True),
                fields=("swedish_id_number",),
                name="person_swedish_id_unique",
                violation_error_message=(
                    "That Swedish identity number is already recorded for another person."
                ),
            ),
        ),
    ]
