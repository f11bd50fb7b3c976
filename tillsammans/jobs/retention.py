"""What retention clears of Jobbstart (``people.retention``): a job seeker's education and
experience in their own words. The enrolment, its stages and occupations stay, for the
figures."""

from django.db.models import Q

from tillsammans.people.models import Household, Person
from tillsammans.people.retention import anonymiser

from .models import JobSeeker


@anonymiser("job seekers: own words cleared")
def clear_own_words(household: Household, persons: list[Person]) -> int:
    seekers = JobSeeker.objects.filter(person__in=persons)
    return seekers.filter(~Q(education_note="") | ~Q(experience="")).update(
        education_note="", experience=""
    )
