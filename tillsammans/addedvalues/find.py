"""Services in the search box on every page (``core.find``)."""

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tillsammans.core.find import FOUND_PER_KIND, Found, FoundGroup, finder

from .selectors import visible_services


@finder
def services(user: Any, query: str) -> FoundGroup | None:
    """Services of the catalogue, by a part of their name in any of its languages."""
    named = (
        Q(name_sv__icontains=query) | Q(name_en__icontains=query)
        | Q(name_uk__icontains=query) | Q(name_ar__icontains=query)
    )  # fmt: skip
    found = visible_services(user).filter(named).order_by("name_sv", "id")
    items = [
        Found(service.localized_name, reverse("service_detail", args=[service.public_id]),
              service.organisation.short_name)
        for service in found[:FOUND_PER_KIND]
    ]  # fmt: skip
    return FoundGroup(_("Services"), items)
