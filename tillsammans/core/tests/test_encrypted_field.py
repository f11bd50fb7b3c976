from django.db import connection

from tillsammans.core.factories import HouseholdFactory
from tillsammans.people.models import Household


def test_it_stores_the_medical_flag_encrypted(db):
    # given
    household = HouseholdFactory(medical_priority=True)
    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT medical_priority FROM people_household WHERE id = %s", [household.pk]
        )
        stored = cursor.fetchone()[0]
    # then: the column holds a Fernet token, not the value
    assert stored not in ("1", "True", "true", 1, True)
    assert stored.startswith("gAAAA")
    assert Household.objects.get(pk=household.pk).medical_priority is True


def test_it_reads_back_false(db):
    household = HouseholdFactory(medical_priority=False)
    assert Household.objects.get(pk=household.pk).medical_priority is False
