"""Rates and monthly reports in the demo "Göteborg 2022".

The state's rates are the 2022 rates of the issue and the brief (300 SEK per adult and 150 SEK
per child per day, 15 000 SEK per person moved in, 10 000 SEK per place in the municipality's
distribution figure). The demo's figure is the partnership's 1 000 places, set on 1 July 2022
when the municipalities' duty began: the real figure is not in the seeds. The partners' rates
are invented: the real agreement's rates are not in the seeds (see ADR 14). Every partner
with a site reports each month of the agreement in 2022 (July to December); costs are
invented around the compensation, so some months come out above cost and are flagged.
"""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password

from tillsammans.core.models import User
from tillsammans.housing.models import Site, SiteKind
from tillsammans.partnership.models import Agreement, Membership, Organisation, Role

from . import services
from .models import CostType, RateKind, Scheme
from .selectors import compensation

EMAIL_DOMAIN = "demo.tillsammans.example"
PASSWORD = "tillsammans-demo-2022"  # noqa: S105 -- the demo's published login, as in reporting
STATE_FROM = dt.date(2022, 1, 1)
STATE_RATES = [
    (RateKind.ADULT_NIGHT, 300),
    (RateKind.CHILD_NIGHT, 150),
    (RateKind.MOVE_IN, 15000),
    (RateKind.FIGURE_PLACE, 10000),
]
FIGURE_SET_ON, FIGURE_PLACES = dt.date(2022, 7, 1), 1000
# Invented partner rates per available place and day, by kind of site, and a lump sum per
# person moved in; the self-catering rate rises from October to show a change of rate.
PARTNER_RATES = [
    (RateKind.PLACE_DAY, SiteKind.COLLECTIVE_FOOD, 290, None),
    (RateKind.PLACE_DAY, SiteKind.COLLECTIVE_SELF, 210, None),
    (RateKind.PLACE_DAY, SiteKind.COLLECTIVE_SELF, 225, dt.date(2022, 10, 1)),
    (RateKind.PLACE_DAY, SiteKind.APARTMENT, 190, None),
    (RateKind.PLACE_DAY, SiteKind.HOST_HOME, 160, None),
    (RateKind.MOVE_IN, "", 2000, None),
]
# Räddningsmissionen supports hosts and guests in Hjärterum: an invented monthly frame.
FRAMES = {"raddningsmissionen": 40000}
MONTHS = range(7, 13)
# Rough shares of a partner's costs, by type (invented).
SHARES = {
    CostType.STAFF: Decimal("0.45"),
    CostType.PREMISES: Decimal("0.30"),
    CostType.FOOD: Decimal("0.12"),
    CostType.TRANSPORT: Decimal("0.03"),
    CostType.MATERIAL: Decimal("0.06"),
    CostType.OTHER: Decimal("0.04"),
}
ROUND = Decimal(100)


def _writer(organisation: Organisation) -> User:
    existing = (
        Membership.objects.filter(
            organisation=organisation, role__in=(Role.PARTNER_ADMIN, Role.PARTNER_STAFF)
        )
        .select_related("user")
        .order_by("role", "id")
        .first()
    )
    if existing is not None:
        return existing.user
    user, _created = User.objects.get_or_create(
        email=f"ekonomi.{organisation.slug}@{EMAIL_DOMAIN}",
        defaults={
            "first_name": "Ekonomi",
            "last_name": "Demo",
            "password": make_password(PASSWORD),
        },
    )
    Membership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": Role.PARTNER_ADMIN}
    )
    return user


def _sek(value: Decimal) -> Decimal:
    return (value / ROUND).quantize(Decimal(1), ROUND_HALF_UP) * ROUND


def _costs(rng: random.Random, around: Decimal) -> dict[str, Decimal]:
    # Most months cost a little more than the compensation; about one in six a little less.
    total = around * Decimal(str(rng.uniform(0.9, 1.2)))
    return {kind: _sek(total * share) for kind, share in SHARES.items()}


def load(rng: random.Random) -> None:
    agreement = Agreement.objects.order_by("starts_on", "id").first()
    coordinator = (
        Membership.objects.filter(role=Role.COORDINATOR).select_related("user").order_by("id")
    ).first()
    if agreement is None or coordinator is None:
        return
    city = coordinator.user
    for kind, amount in STATE_RATES:
        services.rate_create(
            actor=city, agreement=agreement, scheme=Scheme.STATE, kind=kind,
            amount=Decimal(amount), valid_from=STATE_FROM,
        )  # fmt: skip
    services.figure_record(
        actor=city, agreement=agreement, decided_on=max(FIGURE_SET_ON, agreement.starts_on),
        places=FIGURE_PLACES, reference="Demo",
    )  # fmt: skip
    for kind, site_kind, amount, valid_from in PARTNER_RATES:
        services.rate_create(
            actor=city, agreement=agreement, scheme=Scheme.PARTNER, kind=kind,
            amount=Decimal(amount), valid_from=valid_from or agreement.starts_on,
            site_kind=site_kind,
        )  # fmt: skip
    partners = Organisation.objects.filter(
        pk__in=Site.objects.values("organisation"), kind="nonprofit"
    ).order_by("name")
    for partner in partners:
        if partner.slug in FRAMES:
            services.rate_create(
                actor=city, agreement=agreement, scheme=Scheme.PARTNER, kind=RateKind.FRAME,
                amount=Decimal(FRAMES[partner.slug]), valid_from=agreement.starts_on,
                organisation=partner,
            )  # fmt: skip
    for partner in partners:
        writer = _writer(partner)
        for month in MONTHS:
            estimate = compensation(
                scheme=Scheme.PARTNER,
                year=2022,
                month=month,
                agreement=agreement,
                organisation=partner,
            ).total
            report = services.report_start(
                actor=writer, year=2022, month=month, agreement=agreement
            )
            services.report_update(
                actor=writer,
                report=report,
                costs=_costs(rng, estimate),
                volunteer_hours=report.volunteer_hours,
                donated_goods=_sek(Decimal(rng.randrange(0, 40000))),
                own_funds=_sek(Decimal(rng.randrange(0, 60000))),
                comment="",
            )
            report = services.report_submit(actor=writer, report=report)
            services.report_approve(actor=city, report=report)
    _correction(city, partners.first())


def _correction(city: User, partner: Organisation | None) -> None:
    """One corrected month, so the demo shows a second version and what it changed."""
    if partner is None:
        return
    writer = _writer(partner)
    approved = partner.monthly_reports.get(month=dt.date(2022, 10, 1), status="approved")
    correction = services.report_correct(actor=writer, report=approved)
    services.report_update(
        actor=writer,
        report=correction,
        costs={kind: getattr(approved, f"cost_{kind}") for kind in CostType.values}
        | {CostType.PREMISES: approved.cost_premises + Decimal(18500)},
        volunteer_hours=approved.volunteer_hours,
        donated_goods=approved.donated_goods,
        own_funds=approved.own_funds,
        comment="Rättelse: hyran för oktober fakturerades i efterhand.",
    )
    correction = services.report_submit(actor=writer, report=correction)
    services.report_approve(
        actor=city, report=correction, comment="Godkänd rättelse av lokalkostnaden."
    )
