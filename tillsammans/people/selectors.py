"""Reads of persons and households."""

from contextlib import suppress
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from tillsammans.core.lib.identity import normalise_swedish_id

from .models import Person, PersonNameKey
from .search import deletions, fold_words

MAX_RESULTS = 50


def person_search(persons: QuerySet[Person], query: str, limit: int = MAX_RESULTS) -> list[Person]:
    """Persons among ``persons`` whose names match ``query`` in any spelling, best first.

    Also finds a person by the exact Migrationsverket case number, permit card number or
    Swedish identity number.
    """
    query = (query or "").strip()
    if not query:
        return []
    exact = Q(migration_case_number__iexact=query) | Q(permit_card_number__iexact=query)
    with suppress(ValidationError):  # a name is not an identity number
        exact |= Q(swedish_id_number=normalise_swedish_id(query))
    words = fold_words(query)
    if not words:
        return list(persons.filter(exact)[:limit])
    matched: set[int] | None = None
    for word in words:
        variants = {word[:60], *(v[:60] for v in deletions(word))}
        ids = set(
            PersonNameKey.objects.filter(key__in=variants).values_list("person_id", flat=True)
        )
        if len(word) >= 3:
            prefix_ids = PersonNameKey.objects.filter(
                key__gte=word, key__lt=word + "\x7f"
            ).values_list("person_id", flat=True)[:2000]
            ids.update(prefix_ids)
        matched = ids if matched is None else matched & ids
        if not matched:
            break
    candidates = list(
        persons.filter(Q(id__in=matched or set()) | exact).select_related("household")[:500]
    )
    folded_query = " ".join(words)
    candidates.sort(key=lambda p: -fuzz.token_set_ratio(folded_query, p.search_text))
    return candidates[:limit]


def household_persons(household: Any) -> QuerySet[Person]:
    return household.persons.order_by("birth_date")
