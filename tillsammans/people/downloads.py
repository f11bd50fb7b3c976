"""The households list and its search as downloads (issue 16), made by ``core.exports``: the
same rows as the page under the same search, every page of them, for what the reader sees
when the file is made."""

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.exports import Table, table
from tillsammans.reception.models import Stay

from .audit import audit_households_shown
from .models import Household, Person
from .selectors import person_search

HOUSEHOLDS = "people.households"


def households_listed(user: Any) -> QuerySet[Household]:
    """The households list as the page shows it, newest first: each with its size and where
    it lives now."""
    size = (
        Person.objects.filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        # A subquery, not a join: a page counts persons for its 50 households only.
        access.visible_households(user)
        .annotate(size=Subquery(size))
        .prefetch_related(
            Prefetch(
                "stays",
                queryset=Stay.objects.filter(ended_on__isnull=True).select_related("unit__site"),
                to_attr="open_stays",
            )
        )
        .order_by("-created_at", "reference")
    )


@table(HOUSEHOLDS, who=access.sees_people)
def households_table(user: Any, args: dict[str, Any]) -> Table:
    query = str(args.get("q", "")).strip()
    if query:
        persons = list(person_search(access.visible_persons(user), query))
        header = [_("Name"), _("Passport spelling"), _("Born"), _("Household")]
        rows: list[Any] = [
            [p.written_name, p.latin_name, p.birth_date, p.household.reference] for p in persons
        ]

        def audit(actor: Any) -> None:
            audit_views(
                actor=actor, objs=persons, summary=gettext_noop("household search download")
            )

        stem = _("household-search")
        return Table(f"{stem}.xlsx", _("Households")[:31], header, rows, audit)
    households = list(households_listed(user))
    header = [_("Household"), _("Persons"), _("Lives at"), _("Since")]
    rows = []
    for household in households:
        stay = household.open_stays[0] if household.open_stays else None  # type: ignore[attr-defined]
        rows.append([
            household.reference, household.size,  # type: ignore[attr-defined]
            f"{stay.unit.site.name} — {stay.unit.name}" if stay else _("not housed"),
            stay.started_on if stay else None,
        ])  # fmt: skip

    def audit_list(actor: Any) -> None:
        audit_households_shown(
            actor=actor, households=households, summary=gettext_noop("household list download")
        )

    return Table(f"{_('households')}.xlsx", _("Households")[:31], header, rows, audit_list)
