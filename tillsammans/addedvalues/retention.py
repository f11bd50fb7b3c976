"""What retention clears of deliveries (``people.retention``): the note, the one place a
member of staff writes words about a resident. The delivery stays, for the figures."""

from django.db.models import Q

from tillsammans.people.models import Household, Person
from tillsammans.people.retention import anonymiser

from .models import Delivery


@anonymiser("deliveries: notes cleared")
def clear_notes(household: Household, persons: list[Person]) -> int:
    mine = Q(household=household) | Q(person__in=persons)
    return Delivery.objects.filter(mine).exclude(note="").update(note="")
