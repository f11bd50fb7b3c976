"""What partners write for the annual added-value report; the figures come from the data."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import TimeStampedModel
from tillsammans.partnership.models import Organisation


class AnnualNarrative(TimeStampedModel):
    """A partner's own words for one year's report: a text and a quote, in Swedish and English.

    A quote names no one: ``quote_by`` says who in words that identify nobody ("a mother
    living at one of our sites").
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="annual_narratives",
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    headline_sv = models.CharField(_("headline (Swedish)"), max_length=120, blank=True)
    headline_en = models.CharField(_("headline (English)"), max_length=120, blank=True)
    text_sv = models.TextField(_("text (Swedish)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    quote_sv = models.TextField(_("quote (Swedish)"), blank=True)
    quote_en = models.TextField(_("quote (English)"), blank=True)
    quote_by_sv = models.CharField(_("quoted person (Swedish)"), max_length=200, blank=True)
    quote_by_en = models.CharField(_("quoted person (English)"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "organisation__name"]
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="annual_narrative_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def in_language(self, field: str, language: str) -> str:
        """The field in ``language`` (sv or en), or in the other one when that is empty."""
        first, second = ("en", "sv") if language == "en" else ("sv", "en")
        return str(getattr(self, f"{field}_{first}") or getattr(self, f"{field}_{second}"))
