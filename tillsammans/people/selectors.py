"""Reads of persons and households."""

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    ExpressionWrapper,
    Prefetch,
    Q,
    QuerySet,
    Value,
)  # fmt: skip
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from tillsammans.core.lib.identity import normalise_swedish_id

from .models import Household, Person, PersonNameKey
from .search import edits, fold_words, skeleton_keys

MAX_RESULTS = 50
# Matches ranked in Python at most. Preferred persons are fetched first, so the cap never
# drops them; a query that matches more than this is too vague to be answered anyway.
MAX_RANKED = 5000


def number_taken_message() -> str:
    """The refusal of a Swedish identity number another person holds. It names no one; the
    coordinator, who sees every person, can find the holder by the number."""
    return _(
        "That Swedish identity number is already recorded for another person. Check the "
        "number; if it is right, the coordinator can find that person by it."
    )


def numbers_taken(numbers: Iterable[str], *, besides: Iterable[int] = ()) -> set[str]:
    """The numbers among ``numbers`` that a person (other than those of ``besides``) holds."""
    wanted = {number for number in numbers if number}
    if not wanted:
        return set()
    return set(
        Person.objects.filter(swedish_id_number__in=wanted)
        .exclude(pk__in=list(besides))
        .values_list("swedish_id_number", flat=True)
    )


def number_holder(number: str, *, besides: int | None = None) -> Person | None:
    """The person other than ``besides`` who holds ``number``, if any. A refusal tells the
    user that this person exists: the caller audits it as a read of the holder."""
    if not number:
        return None
    holders = Person.objects.filter(swedish_id_number=number)
    return (holders if besides is None else holders.exclude(pk=besides)).first()


@dataclass(frozen=True)
class Hit:
    """One person matching a query, as the ranking sees it."""

    person_id: int
    # rapidfuzz's token set ratio of the folded query and the person's folded names, 0–100.
    score: float
    # Every word of the query is one of the person's names (in any spelling), or the query
    # is the person's case, permit card or identity number.
    exact: bool
    preferred: bool


def _number_matches(query: str) -> Q | None:
    """Exact matches on the numbers staff have; only a query with a digit can be one. The
    household's reference (H-2022-0280) finds its persons: it is how every list names a
    household."""
    if not any(char.isdigit() for char in query):
        return None
    numbers = (
        Q(household__reference=query)
        | Q(household__reference=query.upper())
        | Q(migration_case_number=query)
        | Q(permit_card_number=query)
        | Q(permit_card_number=query.upper())
    )
    with suppress(ValidationError):  # not every number is a Swedish identity number
        numbers |= Q(swedish_id_number=normalise_swedish_id(query))
    return numbers


def _word_matches(word: str) -> Q:
    """Persons with a name key one edit from ``word`` or, from three letters, starting with
    it, as a subquery: the database intersects the words, so that no cap on one word's
    matches can drop the person that all the words describe.

    Written as SQL because the ORM spends several times longer building a lookup of a few
    hundred values than the database spends answering it (a pasted list has thirty lines).
    """
    quote = connection.ops.quote_name
    # Keys hold a name word's first 60 letters, and so do the variants: an edit past them
    # changes nothing, so a long query word costs no more than one of 61 letters.
    word = word[:61]
    variants = sorted({variant[:60] for variant in edits(word) | skeleton_keys(word)})
    table, person, key = (
        quote(PersonNameKey._meta.db_table), quote("person_id"), quote("key"),
    )  # fmt: skip
    select = "SELECT " + person + " FROM " + table + " "  # noqa: S608 -- quoted names only
    sql = select + "WHERE " + key + " IN (" + ", ".join(["%s"] * len(variants)) + ")"
    params: list[str] = list(variants)
    # The prefix is a second branch of a UNION, not an OR: with OR, PostgreSQL could not use
    # an index for either and read every key once the common names' spellings made some
    # keys frequent (a national search took 170 ms instead of 20).
    if len(word) >= 3 and connection.vendor == "postgresql":
        # LIKE 'x%' uses the varchar_pattern_ops index Django makes next to the plain one,
        # whatever the database's collation; a range would follow the collation's order.
        # A folded word holds letters a-z only, so nothing in it needs escaping.
        sql += " UNION ALL " + select + "WHERE " + key + " LIKE %s"
        params.append(word + "%")
    elif len(word) >= 3:
        # SQLite compares keys byte by byte, so a range is a prefix and uses the index.
        sql += " UNION ALL " + select + "WHERE " + key + " >= %s AND " + key + " < %s"
        params += [word, word + "\x7f"]
    return Q(id__in=RawSQL(sql, params))  # noqa: S611 -- every value is a parameter


def rank_matches(
    persons: QuerySet[Person],
    query: str,
    *,
    prefer: Expression | Exists | None = None,
    limit: int = MAX_RANKED,
) -> list[Hit]:
    """Every person among ``persons`` matching ``query``, best first, in one query.

    ``prefer`` is a boolean expression on the person (say, "lives at one of our sites"):
    those persons come first whatever their score. Ranks on the folded names alone; the
    persons themselves are loaded by the caller, only those it shows.
    """
    query = (query or "").strip()
    if not query:
        return []
    words = list(dict.fromkeys(fold_words(query)))
    wanted = Q(pk__in=[])
    if words:
        wanted = Q()
        for word in words:
            wanted &= _word_matches(word)
    numbers = _number_matches(query)
    if numbers is not None:
        wanted |= numbers
    matches = (
        persons.filter(wanted)
        .order_by()
        .annotate(
            preferred=prefer if prefer is not None else Value(False, output_field=BooleanField()),
            by_number=(
                ExpressionWrapper(numbers, output_field=BooleanField())
                if numbers is not None
                else Value(False, output_field=BooleanField())
            ),
        )
    )
    if prefer is not None:
        matches = matches.order_by("-preferred")
    rows = matches.values_list("id", "search_text", "preferred", "by_number")[:limit]
    folded_query = " ".join(words)
    hits = [
        Hit(
            person_id=person_id,
            score=fuzz.token_set_ratio(folded_query, text),
            exact=bool(by_number) or (bool(words) and set(words) <= set(text.split())),
            preferred=bool(preferred),
        )
        for person_id, text, preferred, by_number in rows
    ]
    hits.sort(key=lambda hit: (not hit.preferred, -hit.score))
    return hits


def person_search(
    persons: QuerySet[Person],
    query: str,
    limit: int = MAX_RESULTS,
    *,
    prefer: Expression | Exists | None = None,
) -> list[Person]:
    """Persons among ``persons`` whose names match ``query`` in any spelling, best first.

    Also finds a person by the exact Migrationsverket case number, permit card number,
    Swedish identity number or household reference.
    """
    order = {
        hit.person_id: rank
        for rank, hit in enumerate(rank_matches(persons, query, prefer=prefer)[:limit])
    }
    if not order:
        return []
    found = persons.filter(id__in=order).select_related("household")
    return sorted(found, key=lambda person: order[person.pk])


@dataclass(frozen=True)
class HouseholdName:
    """How a busy reader recognises a household, instead of its reference.

    ``names`` is a lone person's full name, or a family's surnames ("Shevchenko", or
    "Shevchenko/Melnyk" when they differ), spelled as in the passport where there is a Latin
    spelling and as written otherwise. Sentences that use it choose their own words for one
    person and for a family (``is_family``), so every language can inflect around it.
    """

    names: str
    count: int

    @property
    def is_family(self) -> bool:
        return self.count > 1


def persons_for_names(lookup: str = "household__persons") -> Prefetch[Any]:
    """The persons of the households a list names, eldest first, so that a family's
    surnames (``household_name``) read the same on every page and in every download."""
    return Prefetch(lookup, queryset=Person.objects.order_by("birth_date", "id"))


def names_of(household: Household) -> str:
    """How a list names ``household`` beside its reference (its persons fetched with
    ``persons_for_names``)."""
    return household_name(household.persons.all()).names


def household_name(persons: Iterable[Person]) -> HouseholdName:
    people = list(persons)
    if len(people) == 1:
        person = people[0]
        return HouseholdName(person.latin_name or f"{person.first_name} {person.last_name}", 1)
    surnames = dict.fromkeys(person.last_name_latin or person.last_name for person in people)
    return HouseholdName("/".join(surnames), len(people))
