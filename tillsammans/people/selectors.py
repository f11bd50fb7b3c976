"""Reads of persons and households."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from tillsammans.core.lib.identity import normalise_swedish_id

from .models import Person, PersonNameKey
from .search import edits, fold_words

MAX_RESULTS = 50
MAX_PREFIX_MATCHES = 2000


def _number_matches(query: str) -> Q | None:
    """Exact matches on the numbers staff have; only a query with a digit can be one."""
    if not any(char.isdigit() for char in query):
        return None
    numbers = (
        Q(migration_case_number=query)
        | Q(permit_card_number=query)
        | Q(permit_card_number=query.upper())
    )
    with suppress(ValidationError):  # not every number is a Swedish identity number
        numbers |= Q(swedish_id_number=normalise_swedish_id(query))
    return numbers


def _prefix_keys(word: str) -> QuerySet[PersonNameKey]:
    if connection.vendor == "postgresql":
        # LIKE 'x%' uses the varchar_pattern_ops index Django makes next to the plain one,
        # whatever the database's collation; a range would follow the collation's order.
        return PersonNameKey.objects.filter(key__startswith=word).order_by()
    # SQLite compares keys byte by byte, so a range is a prefix and uses the index.
    return PersonNameKey.objects.filter(key__gte=word, key__lt=word + "\x7f").order_by()


def _name_matches(words: list[str]) -> set[int]:
    matched: set[int] | None = None
    for word in words:
        # Keys hold a name word's first 60 letters, and so do the variants: an edit past them
        # changes nothing, so a long query word costs no more than one of 61 letters.
        variants = {variant[:60] for variant in edits(word[:61])}
        ids = set(
            PersonNameKey.objects.filter(key__in=variants)
            .order_by()
            .values_list("person_id", flat=True)
        )
        if len(word) >= 3:
            ids.update(_prefix_keys(word).values_list("person_id", flat=True)[:MAX_PREFIX_MATCHES])
        matched = ids if matched is None else matched & ids
        if not matched:
            return set()
    return matched or set()


def person_search(persons: QuerySet[Person], query: str, limit: int = MAX_RESULTS) -> list[Person]:
    """Persons among ``persons`` whose names match ``query`` in any spelling, best first.

    Also finds a person by the exact Migrationsverket case number, permit card number or
    Swedish identity number.
    """
    query = (query or "").strip()
    if not query:
        return []
    words = fold_words(query)
    wanted = Q(id__in=_name_matches(words)) if words else Q(pk__in=[])
    numbers = _number_matches(query)
    if numbers is not None:
        wanted |= numbers
    # Rank on the folded names alone, then load only the persons that are shown.
    folded_query = " ".join(words)
    scored = sorted(
        persons.filter(wanted).order_by().values_list("id", "search_text"),
        key=lambda row: -fuzz.token_set_ratio(folded_query, row[1]),
    )[:limit]
    order = {person_id: rank for rank, (person_id, _text) in enumerate(scored)}
    found = persons.filter(id__in=order).select_related("household")
    return sorted(found, key=lambda person: order[person.pk])
