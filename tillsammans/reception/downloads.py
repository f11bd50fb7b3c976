"""The allocations list as a download (issue 16), made by ``core.exports``: the same rows as
the page under the same filter, every page of them, for what the reader sees when the file
is made."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.exports import Table, table
from tillsammans.people.audit import audit_households_shown
from tillsammans.people.selectors import names_of, persons_for_names

from .models import Allocation, AllocationStatus

ALLOCATIONS = "reception.allocations"


def allocations_listed(user: Any, status: str = "") -> QuerySet[Allocation]:
    """The allocations list as the page shows it, newest first, with each household's
    persons for its name."""
    allocations = (
        access.visible_allocations(user)
        .select_related("household")
        .prefetch_related(persons_for_names())
    )
    if status in AllocationStatus.values:
        allocations = allocations.filter(status=status)
    return allocations.order_by("-allocated_on", "reference")


@table(ALLOCATIONS, who=access.is_coordinator)
def allocations_table(user: Any, args: dict[str, Any]) -> Table:
    allocations = list(allocations_listed(user, str(args.get("status", ""))))
    header = [
        _("Reference"), _("Household"), _("Names"), _("Allocated"), _("Expected arrival"),
        _("Status"),
    ]  # fmt: skip
    rows: list[Any] = [
        [allocation.reference, allocation.household.reference, names_of(allocation.household),
         allocation.allocated_on, allocation.expected_arrival, allocation.get_status_display()]
        for allocation in allocations
    ]  # fmt: skip

    def audit(actor: Any) -> None:
        audit_households_shown(
            actor=actor,
            households=[allocation.household_id for allocation in allocations],
            summary=gettext_noop("allocation list download"),
        )

    return Table(f"{_('allocations')}.xlsx", _("Allocations")[:31], header, rows, audit)
