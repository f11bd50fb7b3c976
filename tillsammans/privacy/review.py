"""The data protection officer's monthly review of who read what (issue 15).

Three rules flag reads of persons and households worth a look, and a sample of the month's
reads is drawn for the officer to check by hand:

- **many persons in a short time**: a user who read at least ``MANY`` different persons or
  households within ``WINDOW`` (a list browsed page after page, or a harvest);
- **at night**: reads between 22:00 and 06:00, Swedish time;
- **found by search outside the reader's sites**: a partner's user whose list or search
  showed a person whose household did not live at one of that partner's sites during the
  month. (List and search reads are many at once by design: they count here, not as bursts.)

The sample is ``SAMPLE`` reads drawn at random, the same each time the month is opened (the
month seeds the draw), so that the officer and a later auditor look at the same rows.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tillsammans.core.lib.dates import add_months
from tillsammans.core.models import AuditAction, AuditEvent, Disclosure
from tillsammans.partnership.models import Membership, Role
from tillsammans.people.models import Household, Person
from tillsammans.reception.models import Stay

from .models import ReviewFindings

MANY = 20
WINDOW = dt.timedelta(minutes=10)
NIGHT = (22, 6)
SAMPLE = 20
PERSON_TYPES = ("people.person", "people.household")
# What a list or a search shows is audited as a read of each person on it (people.audit):
# many at once by design, so these reads count for the search rule, not for bursts. They are
# fixed texts, kept in ``summary`` with no template (core.audit).
LIST_SUMMARIES = (
    "household list", "household search", "household list download",
    "household search download", "search on every page",
)  # fmt: skip


@dataclass(frozen=True)
class Burst:
    email: str
    organisation: str
    started: dt.datetime
    count: int


@dataclass(frozen=True)
class NightReads:
    email: str
    organisation: str
    count: int
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True)
class OutsideSearch:
    email: str
    organisation: str
    count: int
    households: int


@dataclass(frozen=True)
class Review:
    month: dt.date
    bursts: list[Burst]
    nights: list[NightReads]
    outside: list[OutsideSearch]
    sample: list[AuditEvent]

    @property
    def flagged(self) -> dict[str, int]:
        return {
            "bursts": len(self.bursts),
            "night_reads": sum(n.count for n in self.nights),
            "outside_searches": sum(o.count for o in self.outside),
        }


def _span(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(add_months(month, 1), dt.time.min))
    return start, end


def reads(month: dt.date) -> QuerySet[AuditEvent]:
    """The month's reads of persons and households by users."""
    start, end = _span(month)
    return AuditEvent.objects.filter(
        at__gte=start, at__lt=end, action=AuditAction.VIEW, object_type__in=PERSON_TYPES
    ).exclude(actor=None)


def _bursts(month: dt.date) -> list[Burst]:
    """Runs of reads in which some ten minutes held at least MANY different records; each
    run counts every record read during it."""
    found: list[Burst] = []
    rows = (
        reads(month)
        .exclude(summary__in=LIST_SUMMARIES)
        .order_by("actor_id", "at")
        .values_list("actor_id", "actor_email", "organisation_name", "at", "object_id")
    )
    window: deque[tuple[dt.datetime, str]] = deque()
    current: object = None
    burst: tuple[str, str, dt.datetime, set[str]] | None = None

    def close() -> None:
        if burst is not None:
            email, organisation, started, seen = burst
            found.append(Burst(email, organisation, started, len(seen)))

    for actor, email, organisation, at, object_id in rows.iterator(chunk_size=5000):
        if actor != current:
            close()
            current, window, burst = actor, deque(), None
        window.append((at, object_id))
        while window[0][0] < at - WINDOW:
            window.popleft()
        if len(window) >= MANY and len({seen for _at, seen in window}) >= MANY:
            if burst is None:
                burst = (email, organisation, window[0][0], {seen for _at, seen in window})
            else:
                burst[3].add(object_id)
        elif burst is not None:
            close()
            burst = None
    close()
    return found


def _nights(month: dt.date) -> list[NightReads]:
    late, early = NIGHT
    grouped: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for email, organisation, at in (
        reads(month).values_list("actor_email", "organisation_name", "at").iterator(chunk_size=5000)
    ):
        hour = timezone.localtime(at).hour
        if hour >= late or hour < early:
            grouped[(email, organisation)].append(at)
    return [
        NightReads(email, organisation, len(times), min(times), max(times))
        for (email, organisation), times in sorted(grouped.items())
    ]


def _outside(month: dt.date) -> list[OutsideSearch]:
    start, end = _span(month)
    searches = reads(month).filter(object_type="people.person", summary__in=LIST_SUMMARIES)
    partners = dict(
        Membership.objects.filter(user__in=searches.values("actor"))
        .exclude(role__in=[Role.COORDINATOR, Role.CASE_WORKER])
        .values_list("user_id", "organisation_id")
    )
    if not partners:
        return []
    lived: dict[int, set[int]] = defaultdict(set)
    stays = Stay.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start.date()),
        started_on__lt=end.date(),
        unit__site__organisation_id__in=set(partners.values()),
    ).values_list("unit__site__organisation_id", "household_id")
    for site_owner, home in stays:
        lived[site_owner].add(home)
    # The audit keeps ids as text; the persons' column is a UUID (as text without dashes on
    # SQLite): compare them as UUIDs.
    shown = {_uuid(text) for text in searches.values_list("object_id", flat=True).distinct()}
    household_of = dict(
        Person.objects.filter(public_id__in=[key for key in shown if key is not None]).values_list(
            "public_id", "household_id"
        )
    )
    counted: dict[tuple[str, str], list[int]] = defaultdict(list)
    for actor, email, organisation_name, object_id in searches.filter(
        actor__in=list(partners)
    ).values_list("actor_id", "actor_email", "organisation_name", "object_id"):
        key = _uuid(object_id)
        household = household_of.get(key) if key is not None else None
        if household is not None and household not in lived[partners[actor]]:
            counted[(email, organisation_name)].append(household)
    return [
        OutsideSearch(email, organisation, len(ids), len(set(ids)))
        for (email, organisation), ids in sorted(counted.items())
    ]


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def sample(month: dt.date) -> list[AuditEvent]:
    """The month's sample: the same reads each time the month is drawn. The draw picks
    positions among the month's reads in id order, and the database fetches the read at each
    position, so that no list of a month's millions of ids is held in memory."""
    found = reads(month).order_by("id")
    count = found.count()
    positions = sorted(random.Random(month.isoformat()).sample(range(count), min(SAMPLE, count)))  # noqa: S311 (a reproducible draw, not a secret)
    chosen = [found.values_list("id", flat=True)[position] for position in positions]
    return list(AuditEvent.objects.filter(id__in=chosen).order_by("at", "id"))


def disclosures(month: dt.date) -> QuerySet[Disclosure]:
    """The disclosure journal's rows of the month: what left, to whom, on what basis."""
    start, end = _span(month)
    return Disclosure.objects.filter(at__gte=start, at__lt=end).order_by("at", "id")


def review(month: dt.date, progress: Callable[[int, int, str], None] | None = None) -> Review:
    """What the rules find in the month's reads, and its sample (in the worker: ``compute``)."""
    steps: list[Callable[[dt.date], Any]] = [_bursts, _nights, _outside, sample]
    found = []
    for done, step in enumerate(steps):
        if progress is not None:
            progress(done, len(steps), _("Reading the month's audit log"))
        found.append(step(month))
    return Review(month, *found)


def _at(value: dt.datetime) -> str:
    return value.isoformat()


def to_json(found: Review) -> dict[str, Any]:
    return {
        "bursts": [[b.email, b.organisation, _at(b.started), b.count] for b in found.bursts],
        "nights": [
            [n.email, n.organisation, n.count, _at(n.first), _at(n.last)] for n in found.nights
        ],
        "outside": [[o.email, o.organisation, o.count, o.households] for o in found.outside],
        "sample": [event.pk for event in found.sample],
    }


def from_json(month: dt.date, data: dict[str, Any]) -> Review:
    day = dt.datetime.fromisoformat
    events = {e.pk: e for e in AuditEvent.objects.filter(pk__in=data.get("sample", []))}
    return Review(
        month,
        [Burst(email, org, day(at), count) for email, org, at, count in data.get("bursts", [])],
        [
            NightReads(email, org, count, day(first), day(last))
            for email, org, count, first, last in data.get("nights", [])
        ],
        [OutsideSearch(*row) for row in data.get("outside", [])],
        [events[pk] for pk in data.get("sample", []) if pk in events],
    )


def compute(
    month: dt.date,
    progress: Callable[[int, int, str], None] | None = None,
    then: Callable[[ReviewFindings], None] | None = None,
) -> ReviewFindings:
    """Find what the rules find in the month, and its sample, then keep them in a short
    transaction (in which ``then`` runs: a background job marks itself done there)."""
    found = review(month, progress)
    reads_count = reads(month).count()
    with transaction.atomic():
        findings, _created = ReviewFindings.objects.update_or_create(
            month=month,
            defaults={"computed_at": timezone.now(), "reads": reads_count,
                      "findings": to_json(found)},
        )  # fmt: skip
        if then is not None:
            then(findings)
    return findings


def final(findings: ReviewFindings) -> bool:
    """Whether the findings were computed after their month ended, when its reads were all
    written: only those are signed."""
    return findings.computed_at >= _span(findings.month)[1]


def kept(month: dt.date) -> tuple[Review, ReviewFindings] | None:
    """The month's findings as last computed, or None if they never were."""
    findings = ReviewFindings.objects.filter(month=month).first()
    if findings is None:
        return None
    return from_json(month, findings.findings), findings


def households_named(events: list[AuditEvent]) -> dict[str, Household]:
    """The households the sample's reads are about, by the public id of what was read (a
    household, or a person of it), for the officer to look up."""
    ids = {event.object_id for event in events if event.object_type == "people.household"}
    named = {
        str(household.public_id): household
        for household in Household.objects.filter(public_id__in=ids).only("public_id", "reference")
    }
    persons = {event.object_id for event in events if event.object_type == "people.person"}
    for person in Person.objects.filter(public_id__in=persons).select_related("household"):
        named[str(person.public_id)] = person.household
    return named
