"""Writes of the coupons app: every change goes through a function here.

Redemption locks the coupon's row (``select_for_update``) before it reads the status, so of
many counters redeeming one code at the same moment exactly one succeeds and every other one
is told that the coupon has already been used.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.forms import AmountField
from tillsammans.core.models import AuditAction
from tillsammans.partnership.models import PEOPLE_ROLES, Organisation, Role
from tillsammans.people.models import Household

from . import codes
from .error_codes import CouponErrorCode as Code
from .models import Coupon, CouponStatus, Shop

MAX_VALUE_SEK = 5000
MAX_VALID_DAYS = 366
# A fresh code colliding with one issued before is astronomically rare; a few tries suffice.
CODE_ATTEMPTS = 5


def _day(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _require_issuer(actor: Any) -> Organisation:
    if not (access.is_coordinator(actor) or access.is_partner_member(actor)):
        raise PermissionDenied(_("Only a coordinator or partner staff can issue food coupons."))
    membership = access.membership_of(actor)
    assert membership is not None
    return membership.organisation


def can_manage_shop(actor: Any, organisation: Organisation) -> bool:
    membership = access.membership_of(actor)
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    return membership.role == Role.PARTNER_ADMIN and membership.organisation_id == organisation.pk


def shop_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    address: str = "",
    opening_hours: str = "",
) -> Shop:
    if not can_manage_shop(actor, organisation):
        raise PermissionDenied(
            _("Only a coordinator, or an administrator of the organisation, can add its shops.")
        )
    name = name.strip()
    if Shop.objects.filter(name__iexact=name).exists():
        raise ServiceError(Code.SHOP_EXISTS, _("A shop with this name already exists."))
    with transaction.atomic():
        shop = Shop.objects.create(
            organisation=organisation,
            name=name,
            address=address.strip(),
            opening_hours=opening_hours.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=shop,
            summary=gettext_noop("shop %(name)s"),
            params={"name": name},
        )
    return shop


def shop_set_active(*, actor: Any, shop: Shop, active: bool) -> Shop:
    if not can_manage_shop(actor, shop.organisation):
        raise PermissionDenied(
            _("Only a coordinator, or an administrator of the organisation, can change its shops.")
        )
    with transaction.atomic():
        shop.active = active
        shop.save(update_fields=["active", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=shop,
            summary=gettext_noop("shop %(name)s takes coupons")
            if active
            else gettext_noop("shop %(name)s no longer takes coupons"),
            params={"name": shop.name},
        )
    return shop


def coupon_issue(
    *,
    actor: Any,
    household: Household,
    shop: Shop,
    value_sek: int,
    valid_until: dt.date,
    on: dt.date | None = None,
) -> Coupon:
    """A coupon for a household that lives at one of the actor's sites (any, for the city)."""
    issuer = _require_issuer(actor)
    today = on or timezone.localdate()
    if not 1 <= value_sek <= MAX_VALUE_SEK:
        raise ServiceError(
            Code.BAD_VALUE,
            _("The value must be a whole number of kronor from 1 to %(max)s.")
            % {"max": MAX_VALUE_SEK},
        )
    if valid_until < today:
        raise ServiceError(Code.BAD_DATES, _("The last valid day cannot be before today."))
    if (valid_until - today).days > MAX_VALID_DAYS:
        raise ServiceError(
            Code.BAD_DATES,
            _("A coupon can be valid for at most one year from the day it is issued."),
        )
    if not shop.active:
        raise ServiceError(Code.NO_SHOP, _("This shop no longer takes coupons."))
    with transaction.atomic():
        # The household must live at the issuer's site now; the check is the same scoped
        # queryset that decides what the actor may see.
        if not access.visible_households(actor).filter(pk=household.pk).exists():
            raise ServiceError(
                Code.NOT_A_RESIDENT,
                _("Coupons can only be issued to a household living at one of your sites."),
            )
        for attempt in range(CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    coupon = Coupon.objects.create(
                        code=codes.generate(),
                        household=household,
                        issuer=issuer,
                        shop=shop,
                        value_sek=value_sek,
                        issued_on=today,
                        valid_until=valid_until,
                        issued_by=actor,
                    )
                break
            except IntegrityError:
                if attempt == CODE_ATTEMPTS - 1:
                    raise
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=coupon,
            summary=gettext_noop(
                "food coupon %(value)s SEK to household %(household)s valid until %(until)s "
                "at %(shop)s"
            ),
            params={
                "value": value_sek,
                "household": household,
                "until": valid_until.isoformat(),
                "shop": shop.name,
            },
        )
    return coupon


def coupon_cancel(
    *, actor: Any, coupon: Coupon, reason: str = "", on: dt.date | None = None
) -> Coupon:
    membership = access.membership_of(actor)
    allowed = membership is not None and (
        membership.role == Role.COORDINATOR
        or (
            membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF)
            and membership.organisation_id == coupon.issuer_id
        )
    )
    if not allowed:
        raise PermissionDenied(_("Only the issuing organisation can cancel a coupon."))
    with transaction.atomic():
        locked = Coupon.objects.select_for_update().get(pk=coupon.pk)
        if locked.status == CouponStatus.REDEEMED:
            raise ServiceError(
                Code.NOT_CANCELLABLE,
                _("This coupon has already been used and cannot be cancelled."),
            )
        if locked.status == CouponStatus.CANCELLED:
            raise ServiceError(Code.NOT_CANCELLABLE, _("This coupon is already cancelled."))
        locked.status = CouponStatus.CANCELLED
        locked.cancelled_on = on or timezone.localdate()
        locked.cancelled_by = actor
        locked.cancel_reason = reason.strip()[:300]
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("food coupon cancelled: %(reason)s"),
            params={"reason": locked.cancel_reason},
        )
    return locked


def parse_amount(raw: Any) -> Decimal:
    """A purchase amount as the till's form reads it ("87,50", "87.50", "87 kr"), in öre."""
    try:
        amount = AmountField(min_value=Decimal("0.01")).clean(raw)
    except ValidationError as exc:
        raise ServiceError(Code.BAD_AMOUNT, " ".join(exc.messages)) from exc
    return Decimal(amount)


def refusal(coupon: Coupon, on: dt.date) -> ServiceError | None:
    """Why a coupon cannot be redeemed on a day, or None when it can."""
    if coupon.status == CouponStatus.REDEEMED:
        return ServiceError(Code.ALREADY_USED, _("This coupon has already been used."))
    if coupon.status == CouponStatus.CANCELLED:
        return ServiceError(Code.CANCELLED, _("This coupon was cancelled by the issuer."))
    if coupon.valid_until < on:
        return ServiceError(
            Code.EXPIRED,
            _("This coupon expired: its last valid day was %(day)s.")
            % {"day": _day(coupon.valid_until)},
        )
    if on < coupon.issued_on:
        return ServiceError(
            Code.NOT_YET_VALID,
            _("This coupon is valid from %(day)s.") % {"day": _day(coupon.issued_on)},
        )
    return None


def redeemer_organisation(actor: Any) -> Organisation | None:
    """The actor's organisation if it runs a shop and the actor works there (not a viewer)."""
    membership = access.membership_of(actor)
    if membership is None or membership.role not in PEOPLE_ROLES:
        return None
    if not Shop.objects.filter(organisation_id=membership.organisation_id).exists():
        return None
    return membership.organisation


def find_for_redeemer(actor: Any, typed_code: str) -> Coupon:
    """The coupon with this code at one of the actor's organisation's shops.

    Another organisation's coupon answers "unknown code" like a code never issued: a shop
    learns nothing about coupons it cannot take.
    """
    organisation = redeemer_organisation(actor)
    if organisation is None:
        raise PermissionDenied(
            _("Only staff of an organisation running a shop can redeem coupons.")
        )
    code = codes.normalise(typed_code)
    if not code:
        raise ServiceError(Code.UNKNOWN_CODE, _("Enter the coupon's code."))
    if not codes.is_well_formed(code):
        raise ServiceError(
            Code.TYPING_ERROR,
            _(
                "This is not a valid coupon code: check each character (codes have no 0, O, 1 "
                "or I) and try again."
            ),
        )
    coupon = (
        Coupon.objects.select_related("shop")
        .filter(code=code, shop__organisation=organisation)
        .first()
    )
    if coupon is None:
        raise ServiceError(Code.UNKNOWN_CODE, _("No coupon for your shops has this code."))
    return coupon


def coupon_redeem(*, actor: Any, code: str, amount: Any, on: dt.date | None = None) -> Coupon:
    """Use a coupon once, for a purchase of at most its value; the rest is not kept."""
    today = on or timezone.localdate()
    found = find_for_redeemer(actor, code)
    purchase = parse_amount(amount)
    with transaction.atomic():
        coupon = Coupon.objects.select_for_update().select_related("shop").get(pk=found.pk)
        refused = refusal(coupon, today)
        if refused is not None:
            raise refused
        if purchase > coupon.value_sek:
            raise ServiceError(
                Code.AMOUNT_EXCEEDS,
                _(
                    "The purchase amount (%(amount)s SEK) exceeds the coupon's value "
                    "(%(value)s SEK)."
                )
                % {
                    "amount": formats.number_format(purchase, 2),
                    "value": coupon.value_sek,
                },
            )
        coupon.status = CouponStatus.REDEEMED
        coupon.redeemed_on = today
        coupon.redeemed_amount = purchase
        coupon.redeemed_by = actor
        coupon.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=coupon,
            summary=gettext_noop("food coupon redeemed at %(shop)s: %(purchase)s of %(value)s SEK"),
            params={"shop": coupon.shop.name, "purchase": purchase, "value": coupon.value_sek},
        )
    return coupon
