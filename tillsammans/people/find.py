"""Persons and households in the search box on every page (``core.find``)."""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.find import FOUND_PER_KIND, Found, FoundGroup, finder

from .selectors import person_search


@finder
def persons(user: Any, query: str) -> FoundGroup | None:
    """By name in any spelling, or by case, permit card, identity number or the household's
    reference; each person found is audited as read."""
    if not access.sees_people(user):
        return None
    found = person_search(access.visible_persons(user), query, limit=FOUND_PER_KIND)
    audit_views(actor=user, objs=found, summary=gettext_noop("search on every page"))
    items = [
        Found(
            person.name_and_birth_year,
            reverse("household_detail", args=[person.household.public_id]),
            person.household.reference,
        )
        for person in found
    ]
    more = ""
    if len(found) == FOUND_PER_KIND:
        more = reverse("household_list") + "?" + urlencode({"q": query})
    return FoundGroup(_("Persons"), items, more)
