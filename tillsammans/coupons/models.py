"""Food coupons for a social supermarket (Räddningsmissionen's Maträttsbutiker, seed 000).

The partner where a household lives issues a coupon worth a sum in SEK until a date; the
organisation running the shop redeems it once, by its code, for a purchase up to that value.
"""

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household

from . import codes


class Shop(TimeStampedModel):
    """A social supermarket where coupons are redeemed, run by one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="coupon_shops",
    )
    name = models.CharField(pgettext_lazy("shop", "name"), max_length=200, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    active = models.BooleanField(_("takes coupons"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("social supermarket")
        verbose_name_plural = _("social supermarkets")

    def __str__(self) -> str:
        return self.name


class CouponStatus(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("coupon", "Issued")
    REDEEMED = "redeemed", pgettext_lazy("coupon", "Redeemed")
    CANCELLED = "cancelled", pgettext_lazy("coupon", "Cancelled")


class Coupon(PublicIdModel):
    """One coupon for one household; used once, for a purchase of at most its value.

    "Expired" is not stored: an issued coupon whose last valid day has passed is expired.
    Whatever a purchase leaves of the value is not kept for later (single use).
    """

    code = models.CharField(_("code"), max_length=codes.LENGTH, unique=True, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="coupons"
    )
    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="coupons_issued",
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("valid at"), on_delete=models.PROTECT, related_name="coupons"
    )
    value_sek = models.PositiveIntegerField(_("value (SEK)"))
    issued_on = models.DateField(_("issued on"), db_index=True)
    valid_until = models.DateField(_("valid until"), db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by (user)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CouponStatus.choices, default=CouponStatus.ISSUED
    )
    redeemed_on = models.DateField(_("redeemed on"), null=True, blank=True, db_index=True)
    redeemed_amount = models.DecimalField(
        _("purchase amount (SEK)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redeemed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True, db_index=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"cancel_reason": ""}

    # Kept when the household is anonymised (people.retention):
    # the code is the ledger's key, random.
    retention_kept: ClassVar[tuple[str, ...]] = ("code",)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("food coupon")
        verbose_name_plural = _("food coupons")
        indexes = [models.Index(fields=["issuer", "-issued_on"], name="coupon_issuer_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CouponStatus.values), name="coupon_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(value_sek__gt=0), name="coupon_value_gt_0"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")),
                name="coupon_dates_ordered",
            ),
            # Redeemed exactly when it carries a day and an amount, never above the value.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=CouponStatus.REDEEMED,
                        redeemed_on__isnull=False,
                        redeemed_amount__isnull=False,
                        redeemed_amount__gt=0,
                        redeemed_amount__lte=models.F("value_sek"),
                    )
                    | models.Q(
                        ~models.Q(status=CouponStatus.REDEEMED),
                        redeemed_on__isnull=True,
                        redeemed_amount__isnull=True,
                    )
                ),
                name="coupon_redemption_consistent",
            ),
            models.CheckConstraint(
                condition=models.Q(status=CouponStatus.CANCELLED, cancelled_on__isnull=False)
                | models.Q(~models.Q(status=CouponStatus.CANCELLED), cancelled_on__isnull=True),
                name="coupon_cancellation_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    def is_expired(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.status == CouponStatus.ISSUED and self.valid_until < day

    @property
    def expired(self) -> bool:
        return self.is_expired()

    @property
    def state(self) -> str:
        """The status as a user reads it: issued, redeemed, cancelled or expired."""
        return "expired" if self.expired else self.status

    @property
    def state_label(self) -> str:
        if self.expired:
            return str(pgettext_lazy("coupon", "Expired"))
        return str(self.get_status_display())
