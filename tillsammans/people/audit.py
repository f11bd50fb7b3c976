"""Reads of persons for the audit log: a household shown is each of its persons read."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet

from tillsammans.core.audit import audit_views

from .models import Household, Person


def audit_households_shown(
    *,
    actor: Any,
    households: Iterable[Household | int] | QuerySet[Household],
    summary: str,
    params: Mapping[str, Any] | None = None,
) -> int:
    """A household on a page (its reference with where it lives, its needs, its coupons or
    its host) tells the reader about each of its persons: one VIEW event per person, the
    persons found in one query whatever the number of households."""
    if not isinstance(households, QuerySet):
        households = list(households)
    persons = Person.objects.filter(household__in=households).only("id", "public_id")
    return audit_views(actor=actor, objs=persons.order_by(), summary=summary, params=params)
