"""The sites and their beds as a download (issue 16), made by ``core.exports``: the same rows
as the sites page, for the sites the reader sees when the file is made. It names no person."""

from typing import Any

from django.utils.translation import gettext as _

from tillsammans.core import access
from tillsammans.core.exports import Table, table

from .selectors import attach_capacity

SITES = "housing.sites"


def sites_listed(user: Any) -> list[Any]:
    """The sites page's rows: the sites ``user`` sees, by organisation and name, with their
    beds today."""
    return attach_capacity(access.visible_sites(user).select_related("organisation"))


@table(SITES, who=access.sees_people)
def sites_table(user: Any, args: dict[str, Any]) -> Table:
    header = [
        _("Site"), _("Organisation"), _("Kind"), _("District"), _("Opens on"), _("Closes on"),
        _("Beds"), _("Blocked"), _("Occupied"), _("Free"),
    ]  # fmt: skip
    rows: list[Any] = [
        [site.name, site.organisation.name, site.get_kind_display(), site.district,
         site.opens_on, site.closes_on, site.beds_total, site.beds_blocked, site.beds_occupied,
         site.beds_free]
        for site in sites_listed(user)
    ]  # fmt: skip
    return Table(f"{_('sites')}.xlsx", _("Sites")[:31], header, rows)
