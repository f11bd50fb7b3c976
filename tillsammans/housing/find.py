"""Sites in the search box on every page (``core.find``)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tillsammans.core import access
from tillsammans.core.find import FOUND_PER_KIND, Found, FoundGroup, finder


@finder
def sites(user: Any, query: str) -> FoundGroup | None:
    """Sites the reader may open, by a part of their name."""
    found = (
        access.visible_sites(user)
        .filter(name__icontains=query)
        .select_related("organisation")
        .order_by("name", "id")[:FOUND_PER_KIND]
    )
    items = [
        Found(
            site.name, reverse("site_detail", args=[site.public_id]), site.organisation.short_name
        )
        for site in found
    ]
    return FoundGroup(_("Sites"), items)
