"""Which months of a site are settled: those whose money has been reported, paid or frozen,
which a change of its beds must never reach (issue 14, ADR 32).

Housing sits below the apps that settle months (monthly reports and the state's payments in
finance, the hosts' rent in hosting), so each of them registers a rule here when Django
starts (its ``AppConfig.ready``); housing asks them without importing them.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from tillsammans.partnership.models import Agreement, Organisation

from .models import Site

# A rule gives the first day of the last month it has settled for the site among the months
# that [from, until) touches (until None: no end), or None when it has settled none of them.
SettledRule = Callable[[Site, dt.date, dt.date | None], dt.date | None]
_rules: list[SettledRule] = []


def register(rule: SettledRule) -> SettledRule:
    """Add ``rule`` (once) to the rules ``last_settled`` asks."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def last_settled(site: Site, since: dt.date, until: dt.date | None = None) -> dt.date | None:
    """The first day of the site's last settled month that [since, until) touches, by any
    registered rule; None when none is settled (a change there is free to take effect)."""
    months = [month for rule in _rules if (month := rule(site, since, until)) is not None]
    return max(months, default=None)


def lock_owners(
    *, agreement_ids: Iterable[int | None] = (), organisation_ids: Iterable[int | None] = ()
) -> None:
    """Lock the rows of agreements, then of organisations, in id order (no key update, so
    rows that merely reference them, a delivery or a report, are not held back).

    A new site has no row to lock yet: ``site_create`` takes its organisation's (and its
    agreement's) first, and a service that settles months takes the same before it locks the
    sites, so that a site being created is either counted or waits.
    """
    for model, ids in ((Agreement, agreement_ids), (Organisation, organisation_ids)):
        wanted = sorted({pk for pk in ids if pk is not None})
        if wanted:
            rows = model.objects.select_for_update(no_key=True).filter(pk__in=wanted)
            list(rows.order_by("id").values_list("id", flat=True))


def lock_sites(sites: QuerySet[Site]) -> None:
    """Lock the rows of ``sites`` in id order, inside the caller's transaction.

    A service that settles months of these sites (a report submitted, a state month frozen)
    takes them before it reads their beds (after ``lock_owners``); a change of beds or of a
    site's days takes its site's row before it asks ``last_settled``. So the two wait for each
    other: a change made first is counted in the month being settled, and one made after it
    is refused. Placements lock the same rows first too (``reception.lock_objects``). The
    order of all of them: agreements, organisations, sites, units, households.
    """
    list(sites.select_for_update().order_by("id").values_list("id", flat=True))
