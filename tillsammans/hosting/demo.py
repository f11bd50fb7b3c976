"""Hjärterum in the demo: a host for every host home of the main demo, vetted before the
first guest, a signed agreement and a yes for every stay, follow-ups, and rent paid for
September to November 2022.

Hosts are synthetic (invented names, invented streets in real districts of Gothenburg); the
homes, stays and guests are the main demo's own.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.models import AuditAction, User
from tillsammans.hosting.models import (
    Answer,
    EndReason,
    FollowUp,
    Host,
    HostAnswer,
    HostingAgreement,
    HostPreference,
    HostRent,
    Programme,
    RentBasis,
    WithWhom,
)
from tillsammans.hosting.services import (
    rent_month_mark_paid,
    tell_placement_rule,
    tell_placement_rule_of,
)
from tillsammans.housing.models import SiteKind, Unit
from tillsammans.partnership.models import Membership, Organisation, Role
from tillsammans.reception.models import ExitReason, Stay
from tillsammans.reception.services import host_home_programme_record

ORGANISATION = "raddningsmissionen"
FIRST_NAMES = ["Anna", "Erik", "Karin", "Lars", "Maria", "Johan", "Eva", "Per", "Sara", "Nils",
               "Ingrid", "Olof", "Lena", "Gustav", "Elin", "Mats", "Helena", "Anders", "Sofia",
               "Björn", "Maja", "Henrik", "Kristina", "Jonas"]  # fmt: skip
SURNAMES = ["Lindqvist", "Bergström", "Holm", "Ekman", "Sandberg", "Wallin", "Nyström",
            "Lundgren", "Forsberg", "Engström", "Hedlund", "Sjöberg", "Blom", "Dahlin",
            "Strand", "Åberg"]  # fmt: skip
# Invented street names: the districts are real, the addresses are not.
STREETS = ["Lärkträdsgatan", "Vinbärsvägen", "Kvarnstensgatan", "Syrengången", "Ekollonvägen",
           "Blåklintsgatan", "Hasselnötsgatan", "Tranbärsvägen", "Måsvingegatan",
           "Nyponrosgatan"]  # fmt: skip
CONCERNS = [
    "Allt fungerar bra, gästerna trivs.",
    "Värden undrar över tvättstugetider; vi gick igenom husets regler tillsammans.",
    "Gästerna behöver hjälp med att hitta förskoleplats.",
    "Lite trångt i köket; värd och gäster har gjort ett schema.",
    "Gästerna söker egen lägenhet; vi hänvisade till bostadsförmedlingen.",
    "Värden behöver avlastning under jul; vi planerar ett uppehåll.",
    "Språket är ibland svårt; vi tipsade om språkcafé.",
]
END_REASONS = {
    ExitReason.OWN_HOUSING: EndReason.OWN_HOUSING,
    ExitReason.OTHER_MUNICIPALITY: EndReason.OTHER_MUNICIPALITY,
    ExitReason.RETURNED: EndReason.RETURNED,
    ExitReason.MOVED: EndReason.MOVED,
    ExitReason.OTHER: EndReason.OTHER,
}
PAID_MONTHS = [(2022, 9), (2022, 10), (2022, 11)]
YEAR_END = dt.date(2022, 12, 31)
UNVETTED_SHARE = 0.1


def _member(organisation: Organisation, role: str) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def load(rng: random.Random) -> None:
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    coordinator_membership = Membership.objects.filter(role=Role.COORDINATOR).first()
    if organisation is None or coordinator_membership is None:
        return  # not the Göteborg demo
    coordinator = coordinator_membership.user
    officer = _member(organisation, Role.PARTNER_STAFF) or coordinator
    programme = Programme.objects.create(organisation=organisation, name="Hjärterum")
    host_home_programme_record(organisation=organisation)
    audit_record(
        actor=coordinator,
        action=AuditAction.CREATE,
        obj=programme,
        summary=gettext_noop("demo host-home programme"),
    )
    units = list(
        Unit.objects.filter(site__organisation=organisation, site__kind=SiteKind.HOST_HOME)
        .select_related("site")
        .order_by("site__opens_on", "name", "id")
    )
    stays_by_unit: dict[int, list[Stay]] = {}
    for stay in Stay.objects.filter(unit__in=units).order_by("started_on", "id"):
        stays_by_unit.setdefault(stay.unit_id, []).append(stay)
    today = timezone.localdate()
    for number, unit in enumerate(units, start=1):
        stays = stays_by_unit.get(unit.pk, [])
        host = _host(rng, programme, unit, number)
        if stays or rng.random() >= UNVETTED_SHARE:
            _vet(rng, host, officer, stays[0].started_on if stays else None)
        tell_placement_rule(host)
        for stay in stays:
            _hosting(rng, host, stay, officer, today)
    for year, month in PAID_MONTHS:
        paid_on = dt.datetime(year + month // 12, month % 12 + 1, 5, 10, 0,
                              tzinfo=ZoneInfo("Europe/Stockholm"))  # fmt: skip
        rent_month_mark_paid(
            actor=coordinator, programme=programme, year=year, month=month, paid_at=paid_on
        )


def _host(rng: random.Random, programme: Programme, unit: Unit, number: int) -> Host:
    surname = rng.choice(SURNAMES)
    first, second = rng.sample(FIRST_NAMES, 2)
    couple = rng.random() < 0.6
    name = f"{first} och {second} {surname}" if couple else f"{first} {surname}"
    by_bed = rng.random() < 0.2
    host = Host.objects.create(
        programme=programme,
        unit=unit,
        name=name,
        phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        email=f"{first.lower()}.{surname.lower()}@example.org".replace("ö", "o")
        .replace("å", "a")
        .replace("ä", "a"),
        address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
        district=unit.site.district,
        rooms=max(1, unit.beds.count() // 2),
        available_from=unit.site.opens_on,
        languages=list(unit.host_languages or []),
        pets_in_home=rng.random() < 0.3,
        guest_pets_welcome=unit.pets_allowed,
        smoking=rng.random() < 0.08,
        children_welcome=unit.children_ok,
        accessible=unit.accessible,
        prefers=HostPreference.ANY if unit.children_ok else HostPreference.ADULTS,
        rent_basis=RentBasis.BED if by_bed else RentBasis.HOME,
        monthly_rent=rng.choice([1200, 1400, 1500, 1800])
        if by_bed
        else rng.choice([3500, 4000, 4500, 5000, 5500]),
    )
    HostRent.objects.create(
        host=host, valid_from=host.available_from, rent_basis=host.rent_basis,
        monthly_rent=host.monthly_rent,
    )  # fmt: skip
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        obj=host,
        summary=gettext_noop("demo host %(number)s"),
        params={"number": number},
    )
    return host


def _vet(rng: random.Random, host: Host, officer: User, first_guest: dt.date | None) -> None:
    opens = host.unit.site.opens_on
    if first_guest is not None:
        latest = first_guest - dt.timedelta(days=1)
    else:
        latest = min(YEAR_END, opens + dt.timedelta(days=rng.randint(10, 120)))
    visit = max(opens - dt.timedelta(days=21), latest - dt.timedelta(days=rng.randint(5, 20)))
    host.home_visit_on, host.home_visit_by = visit, officer
    host.home_visit_notes = "Ljust rum med egen säng och garderob; brandvarnare finns."
    host.identity_on, host.identity_by = visit, officer
    host.identity_notes = "Körkort visat."
    host.reference_on = min(latest, visit + dt.timedelta(days=rng.randint(1, 4)))
    host.reference_by = officer
    host.reference_notes = "Referens från församlingen: goda omdömen."
    host.save()


def _hosting(rng: random.Random, host: Host, stay: Stay, officer: User, today: dt.date) -> None:
    starts = stay.started_on
    HostAnswer.objects.create(
        host=host,
        household_id=stay.household_id,
        answer=Answer.YES,
        answered_on=starts - dt.timedelta(days=2),
        recorded_by=officer,
    )
    if stay.ended_on is not None:
        ends = max(stay.ended_on, starts + dt.timedelta(days=1))
    else:
        # Open hostings end some time after the day the demo is loaded, a few of them soon,
        # so that the overview's warning list has something to show.
        ends = max(today, starts) + dt.timedelta(days=rng.randint(5, 240))
    agreement = HostingAgreement.objects.create(
        host=host,
        household_id=stay.household_id,
        signed_on=starts - dt.timedelta(days=1),
        signed_by_host=True,
        signed_by_organisation=True,
        signed_by_guest=True,
        recorded_by=officer,
        starts_on=starts,
        ends_on=ends,
        next_place="Egen lägenhet via bostadsförmedlingen" if rng.random() < 0.3 else "",
        ended_on=stay.ended_on,
        end_reason=END_REASONS.get(ExitReason(stay.exit_reason), EndReason.OTHER)
        if stay.ended_on
        else "",
    )
    tell_placement_rule_of(agreement)
    last = min(stay.ended_on or YEAR_END, YEAR_END)
    day = starts + dt.timedelta(days=rng.randint(7, 21))
    while day < last:
        FollowUp.objects.create(
            host=host,
            on=day,
            with_whom=rng.choice(WithWhom.values),
            concerns=rng.choice(CONCERNS),
            recorded_by=officer,
        )
        day += dt.timedelta(days=rng.randint(30, 75))
