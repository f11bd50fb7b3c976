"""The disclosure journal (issue 15): ``record_disclosure`` is called wherever personal data
leaves an organisation, in the transaction that lets it leave."""

from collections.abc import Iterable, Mapping
from typing import Any

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
) -> Disclosure:
    """What left (a msgid, with ``params``), to whom (a name, or a msgid), on what basis,
    about which persons (kept by public id)."""
    ids = sorted({str(person.public_id) for person in persons})
    who = who_acted(actor)
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
