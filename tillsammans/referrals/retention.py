"""What retention clears of referrals (``people.retention``): the shared copy of a resident's
data. The referral row stays, a record that it was made."""

from tillsammans.people.models import Household, Person
from tillsammans.people.retention import anonymiser

from .models import Referral


@anonymiser("referrals: shared copies erased")
def erase_shared_copies(household: Household, persons: list[Person]) -> int:
    return Referral.objects.filter(household=household).update(content={})
