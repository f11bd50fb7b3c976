"""Compensation rates of the agreement: what the city pays partners, and the state the city."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import TimeStampedModel
from tillsammans.housing.models import SiteKind
from tillsammans.partnership.models import Agreement, Organisation


class Scheme(models.TextChoices):
    PARTNER = "partner", _("The city's compensation to partners")
    STATE = "state", _("The state's compensation to the city")


class RateKind(models.TextChoices):
    PLACE_DAY = "place_day", _("Per available place and day")
    PLACE_NIGHT = "place_night", _("Per occupied place-night")
    ADULT_NIGHT = "adult_night", _("Per adult and night")
    CHILD_NIGHT = "child_night", _("Per child and night")
    MOVE_IN = "move_in", _("Per person moved in")
    NEW_PLACE = "new_place", _("Per place made available")
    FRAME = "frame", _("Fixed frame per month")


class CompensationRate(TimeStampedModel):
    """An amount in SEK per unit of one kind, valid from a date until the next rate.

    A rate may be for one partner, for one kind of site, for both or for neither; the most
    specific rate valid on a day applies (partner and kind, then partner, then kind, then
    the general rate). A change is a new rate from a date, so past months keep their rates.
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="rates"
    )
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=RateKind.choices)
    amount = models.DecimalField(
        _("amount (SEK)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    valid_from = models.DateField(_("valid from"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rates",
        help_text=_("Leave empty for every partner."),
    )
    site_kind = models.CharField(
        _("kind of site"),
        max_length=20,
        choices=SiteKind.choices,
        blank=True,
        help_text=_("Leave empty for every kind of site."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scheme", "kind", "valid_from", "id"]
        verbose_name = _("compensation rate")
        verbose_name_plural = _("compensation rates")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rate_not_negative"),
            # The state pays the city for the whole reception, never one partner.
            models.CheckConstraint(
                condition=~models.Q(scheme="state") | models.Q(organisation__isnull=True),
                name="rate_state_has_no_partner",
            ),
            models.UniqueConstraint(
                fields=["agreement", "scheme", "kind", "organisation", "site_kind", "valid_from"],
                condition=models.Q(organisation__isnull=False),
                name="rate_unique_for_partner",
            ),
            models.UniqueConstraint(
                fields=["agreement", "scheme", "kind", "site_kind", "valid_from"],
                condition=models.Q(organisation__isnull=True),
                name="rate_unique_general",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} SEK ({self.valid_from})"

    @property
    def specificity(self) -> int:
        return 2 * (self.organisation_id is not None) + (self.site_kind != "")
