"""Reads of the coupons app: who sees which coupon, the monthly ledger and the figures."""

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core import access
from tillsammans.partnership.models import PEOPLE_ROLES, Organisation, Role

from .models import Coupon, CouponStatus, Shop


def visible_coupons(user: Any) -> QuerySet[Coupon]:
    """The coordinator sees every coupon; partner staff the coupons their organisation issued.

    A coupon stays its issuer's record after the household has moved on, as a past stay
    does. The shop that redeems it reaches it only by its code (``services.find_for_redeemer``).
    """
    membership = access.membership_of(user)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return Coupon.objects.none()
    if membership.role == Role.COORDINATOR:
        return Coupon.objects.all()
    return Coupon.objects.filter(issuer_id=membership.organisation_id)


def get_coupon_for_user(user: Any, public_id: Any) -> Coupon:
    coupons = visible_coupons(user).select_related("household", "issuer", "shop", "issued_by")
    try:
        return coupons.get(public_id=uuid.UUID(str(public_id)))
    except (ValueError, Coupon.DoesNotExist) as exc:
        raise Http404 from exc


def visible_shops(user: Any) -> QuerySet[Shop]:
    """Shops are no secret: every member may see where coupons are taken."""
    if access.membership_of(user) is None:
        return Shop.objects.none()
    return Shop.objects.select_related("organisation")


def redemptions_at(organisation: Organisation, limit: int = 50) -> QuerySet[Coupon]:
    """What a shop's staff may see of the coupons they took: code, value, validity, amount.

    ``only`` keeps the household out of the query: the shop needs no person.
    """
    return (
        Coupon.objects.filter(shop__organisation=organisation, status=CouponStatus.REDEEMED)
        .select_related("shop")
        .only(
            "public_id", "code", "value_sek", "issued_on", "valid_until", "status",
            "redeemed_on", "redeemed_amount", "shop__name",
        )
        .order_by("-redeemed_on", "-id")[:limit]
    )  # fmt: skip


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class LedgerLine:
    organisation: Organisation
    issued: int = 0
    issued_sek: int = 0
    redeemed: int = 0
    redeemed_value_sek: int = 0
    redeemed_amount_sek: Decimal = field(default_factory=lambda: Decimal("0.00"))
    expired: int = 0
    expired_sek: int = 0
    cancelled: int = 0
    cancelled_sek: int = 0


def _totals(coupons: QuerySet[Coupon], count_name: str, **sums: str) -> dict[int, dict[str, Any]]:
    rows = coupons.values("issuer_id").annotate(
        **{count_name: Count("id")}, **{name: Sum(source) for name, source in sums.items()}
    )
    totals: dict[int, dict[str, Any]] = {}
    for row in rows:
        # The plugin types only the fixed key; the counted and summed names are dynamic.
        values: dict[str, Any] = dict(row)
        totals[values.pop("issuer_id")] = values
    return totals


def issued_by_organisation(first: dt.date, last: dt.date) -> dict[int, dict[str, Any]]:
    """Coupons issued from ``first`` to ``last`` (inclusive) per issuer: ``issued`` and their
    face value ``issued_sek``, counted as the ledger counts them (on the issue day)."""
    return _totals(
        Coupon.objects.filter(issued_on__range=(first, last)), "issued", issued_sek="value_sek"
    )


def ledger(
    year: int, month: int, organisations: QuerySet[Organisation], today: dt.date | None = None
) -> list[LedgerLine]:
    """A month of coupons per issuing partner: issued, redeemed, expired and cancelled.

    Each coupon counts in the month of its event: issued on its issue day, redeemed on the
    day it was used, cancelled on the day it was cancelled, and expired in the month of its
    last valid day once that day has passed without a purchase.
    """
    first, last = month_bounds(year, month)
    today = today or timezone.localdate()
    coupons = Coupon.objects.filter(issuer__in=organisations)
    issued = issued_by_organisation(first, last)
    redeemed = _totals(
        coupons.filter(status=CouponStatus.REDEEMED, redeemed_on__range=(first, last)),
        "redeemed",
        redeemed_value_sek="value_sek",
        redeemed_amount_sek="redeemed_amount",
    )
    expired = _totals(
        coupons.filter(
            status=CouponStatus.ISSUED,
            valid_until__range=(first, last),
            valid_until__lt=today,
        ),
        "expired",
        expired_sek="value_sek",
    )
    cancelled = _totals(
        coupons.filter(status=CouponStatus.CANCELLED, cancelled_on__range=(first, last)),
        "cancelled",
        cancelled_sek="value_sek",
    )
    lines = []
    for organisation in organisations.order_by("name"):
        line = LedgerLine(organisation)
        for part in (issued, redeemed, expired, cancelled):
            for name, value in part.get(organisation.pk, {}).items():
                setattr(line, name, value if value is not None else 0)
        lines.append(line)
    return lines


def ledger_organisations(user: Any) -> QuerySet[Organisation]:
    """The coordinator reads every issuer's ledger; anyone else their own organisation's."""
    membership = access.membership_of(user)
    if membership is None:
        return Organisation.objects.none()
    if membership.role == Role.COORDINATOR:
        return Organisation.objects.filter(
            Q(coupons_issued__isnull=False) | Q(pk=membership.organisation_id)
        ).distinct()
    return Organisation.objects.filter(pk=membership.organisation_id)


# What each key of ``monthly_figures`` means, for a page that shows them.
FIGURE_LABELS = {
    "coupons_issued": _("Coupons issued"),
    "coupon_sek_issued": _("Coupons issued (SEK)"),
    "coupons_redeemed": _("Coupons redeemed"),
    "coupon_sek_redeemed": _("Coupons redeemed (SEK)"),
    "coupons_expired": _("Coupons expired unused"),
    "coupons_cancelled": _("Coupons cancelled"),
    "coupons_taken": _("Coupons taken at own shops"),
    "coupon_sek_taken": _("Coupons taken at own shops (SEK)"),
}


def monthly_figures(year: int, month: int) -> dict[int, dict[str, int]]:
    """Coupons per organisation and month, for the partners' monthly figures.

    For the issuing organisation: coupons_issued, coupon_sek_issued (face value),
    coupons_redeemed, coupon_sek_redeemed (the purchases, rounded to whole kronor),
    coupons_expired, coupons_cancelled. For the organisation running the shop:
    coupons_taken and coupon_sek_taken, whoever issued them. Organisations with nothing
    that month are left out.
    """
    organisations = Organisation.objects.filter(coupons_issued__isnull=False).distinct()
    figures: dict[int, dict[str, int]] = {}
    for line in ledger(year, month, organisations):
        if not (line.issued or line.redeemed or line.expired or line.cancelled):
            continue
        figures[line.organisation.pk] = {
            "coupons_issued": line.issued,
            "coupon_sek_issued": line.issued_sek,
            "coupons_redeemed": line.redeemed,
            "coupon_sek_redeemed": round(line.redeemed_amount_sek),
            "coupons_expired": line.expired,
            "coupons_cancelled": line.cancelled,
        }
    first, last = month_bounds(year, month)
    taken = (
        Coupon.objects.filter(status=CouponStatus.REDEEMED, redeemed_on__range=(first, last))
        .values("shop__organisation_id")
        .annotate(n=Count("id"), sek=Sum("redeemed_amount"))
    )
    for row in taken:
        figures.setdefault(row["shop__organisation_id"], {}).update(
            {"coupons_taken": row["n"], "coupon_sek_taken": round(row["sek"] or 0)}
        )
    return figures
