"""The disclosure journal (issue 15): ``record_disclosure`` is called wherever personal data
leaves an organisation, in the transaction that lets it leave."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from .audit import stored_params, who_acted
from .models import Disclosure


def record_disclosure(
    *,
    actor: Any,
    persons: Iterable[Any],
    recipient: str,
    what: str,
    basis: str,
    params: Mapping[str, Any] | None = None,
    once_a_day: bool = False,
) -> Disclosure:
    """What left (a msgid, with ``params``), to whom (a name, or a msgid), on what basis,
    about which persons (kept by public id). With ``once_a_day`` (a file fetched again and
    again, such as a CV opened in the browser), the same actor's same disclosure about the
    same persons is journaled once a day: the journal says what left, not every fetch."""
    ids = sorted({str(person.public_id) for person in persons})
    who = who_acted(actor)
    if once_a_day:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        earlier = Disclosure.objects.filter(
            actor=who["actor"], organisation_name=who["organisation_name"],
            what=str(what)[:300], recipient=str(recipient)[:200],
            basis=basis, at__gte=start, person_count=len(ids),
        ).order_by("-at")  # fmt: skip
        for found in earlier[:20]:
            if found.persons == ids:
                return found
    return Disclosure.objects.create(
        actor=who["actor"],
        actor_email=who["actor_email"],
        organisation_name=who["organisation_name"],
        recipient=str(recipient)[:200],
        what=str(what)[:300],
        what_params=stored_params(params or {}),
        basis=basis,
        persons=ids,
        person_count=len(ids),
    )
