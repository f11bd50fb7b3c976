"""Retention of host homes (issue 15, ADR 38): a host is a private person who offered a home,
not a case, so their own record follows a rule of its own beside the households'.

- **The last entry** is the latest write about the host: their record, an answer about a
  household, an agreement, a follow-up, a month's rent paid to them.
- **Kept**: a home still offered (no last day, or a last day not yet passed) and a hosting
  whose agreement has not ended: a host in the programme is never anonymised, however long
  since anything was written.
- **Anonymised** five years (``RETENTION_YEARS``) after the last entry: the host's name,
  phone, e-mail and address, the vetting notes, the words about their preference, and the
  words of the follow-ups (which are about the guests too) and of the agreements' endings.
  The district, the beds, the dates and every rent and payment stay: the capacity of past
  years and what the programme paid do not change, and the city's finance system keeps the
  payee of each payment under the accounting law, not this product.
- The run is audited host by host and reports its counts. It runs after the households'
  run, weekly and in ``manage.py retention`` (``people.retention.also_run``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.models import AuditAction
from tillsammans.people.retention import ANONYMISED_NAME, cutoff
from tillsammans.reception.models import Stay

from .models import FollowUp, Host, HostAnswer, HostingAgreement, RentPayment

# The host's own words and ways to reach them, cleared; the name is kept as a word, so that
# the programme's pages still read.
CLEARED = ("phone", "email", "address", "home_visit_notes", "identity_notes",
           "reference_notes", "preference_notes")  # fmt: skip


@dataclass(frozen=True)
class HostDecision:
    host: Host
    last_entry: dt.datetime
    anonymise: bool
    reason: str

    @property
    def label(self) -> str:
        """How the run names the host: the neutral name of its home's site."""
        return self.host.unit.site.name


@dataclass
class HostReport:
    decisions: list[HostDecision] = field(default_factory=list)
    hosts: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def kept(self) -> list[HostDecision]:
        return [d for d in self.decisions if not d.anonymise]

    noun = "hosts"

    def counted(self) -> str:
        return f"{self.hosts} hosts anonymised, {len(self.kept)} kept"


def last_entries() -> dict[int, dt.datetime]:
    """Each host's last entry, by host id."""
    last: dict[int, dt.datetime] = dict(Host.objects.values_list("id", "updated_at"))

    def later(rows: object) -> None:
        for host, at in rows:  # type: ignore[attr-defined]
            if host in last and at is not None and at > last[host]:
                last[host] = at

    for model in (HostAnswer, FollowUp):
        later(model.objects.values("host").annotate(at=Max("updated_at")).values_list("host", "at"))
    later(
        RentPayment.objects.values("host")
        .annotate(at=Max("rent_month__paid_at"))
        .values_list("host", "at")
    )
    later(
        Stay.objects.filter(unit__host__isnull=False)
        .values("unit__host")
        .annotate(at=Max("updated_at"))
        .values_list("unit__host", "at")
    )
    # The five years run from the end of the host's part, not from the last write: a last
    # day of the offer, or an agreement's end, written in advance counts from that day.
    offered = Host.objects.exclude(available_until=None).values_list("id", "available_until")
    later((host, _start_of(day)) for host, day in offered if day is not None)
    # An agreement: its last write, and its end (recorded, else planned), in one query.
    agreements = (
        HostingAgreement.objects.values("host")
        .annotate(at=Max("updated_at"), day=Max(Coalesce("ended_on", "ends_on")))
        .values_list("host", "at", "day")
    )
    later(
        (host, max(at, _start_of(day)) if day is not None else at) for host, at, day in agreements
    )
    return last


def _still_offered(host: Host, today: dt.date) -> bool:
    return host.available_until is None or host.available_until > today


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def plan(today: dt.date | None = None) -> list[HostDecision]:
    """What retention would do to the hosts now, host by host, with the reason."""
    today = today or timezone.localdate()
    before = cutoff(today)
    last = last_entries()
    due = [pk for pk, at in last.items() if at < before]
    hosts = (
        Host.objects.filter(pk__in=due, anonymised_at=None)
        .select_related("unit__site")
        .order_by("unit__site__name")
    )
    # Still hosting: an agreement that has not ended (no end recorded and its last day still
    # ahead, or an end recorded ahead), or guests still living in the home.
    hosting = set(
        HostingAgreement.objects.filter(host__in=hosts)
        .filter(Q(ended_on__isnull=True, ends_on__gt=today) | Q(ended_on__gt=today))
        .values_list("host_id", flat=True)
    ) | set(
        Stay.objects.filter(unit__host__in=hosts, ended_on__isnull=True).values_list(
            "unit__host", flat=True
        )
    )
    decisions = []
    for host in hosts:
        if _still_offered(host, today):
            reason = "the home is still offered"
            decisions.append(HostDecision(host, last[host.pk], False, reason))
        elif host.pk in hosting:
            reason = "a hosting has not ended"
            decisions.append(HostDecision(host, last[host.pk], False, reason))
        else:
            reason = f"no entry for {settings.RETENTION_YEARS} years"
            decisions.append(HostDecision(host, last[host.pk], True, reason))
    return decisions


def run(*, dry_run: bool, today: dt.date | None = None) -> HostReport:
    """Anonymise the hosts ``plan`` says (or only list them, for a dry run)."""
    report = HostReport(decisions=plan(today))
    if dry_run:
        return report
    for decision in report.decisions:
        if decision.anonymise and _anonymise(decision, report, today or timezone.localdate()):
            report.hosts += 1
    audit_record(
        actor=None, action=AuditAction.UPDATE, object_type="hosting.retention",
        summary=gettext_noop("retention run: %(hosts)s hosts anonymised, %(kept)s kept"),
        params={"hosts": report.hosts, "kept": len(report.kept)},
    )  # fmt: skip
    return report


def _count(report: HostReport, label: str, count: int) -> None:
    if count:
        report.rows[label] = report.rows.get(label, 0) + count


def _anonymise(decision: HostDecision, report: HostReport, today: dt.date) -> bool:
    with transaction.atomic():
        host = Host.objects.select_for_update().get(pk=decision.host.pk)
        if host.anonymised_at is not None or _still_offered(host, today):
            return False  # done meanwhile, or offered again since the plan was made
        host.name = ANONYMISED_NAME
        for name in CLEARED:
            setattr(host, name, "")
        host.anonymised_at = timezone.now()
        host.save()
        # An empty encrypted text is stored empty, so the rows with words are found in SQL.
        for model, column in ((FollowUp, "concerns"), (HostingAgreement, "end_notes")):
            rows = model._default_manager.filter(host=host).exclude(**{column: ""})
            _count(report, f"{model._meta.label}.{column}", rows.update(**{column: ""}))
        audit_record(
            actor=None, action=AuditAction.UPDATE, obj=host,
            summary=gettext_noop("host anonymised by retention: last entry %(on)s"),
            params={"on": decision.last_entry.date().isoformat()},
        )  # fmt: skip
    return True
