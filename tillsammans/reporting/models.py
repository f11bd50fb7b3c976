"""What the partnership writes for its annual added-value report, per agreement and year; the
figures come from the data. A published edition is frozen: later changes make a new one."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import PublicIdModel, StoredFile, TimeStampedModel
from tillsammans.partnership.models import Agreement, Organisation

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def in_language(obj: object, field: str, language: str) -> str:
    """``field`` of ``obj`` in ``language`` (sv or en), or in the other one when empty."""
    first, second = ("en", "sv") if language == "en" else ("sv", "en")
    return str(getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}"))


class AnnualReport(TimeStampedModel):
    """The coordinator's texts of one agreement's report for one year."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT,
        related_name="annual_reports",
    )  # fmt: skip
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    tagline_sv = models.CharField(_("tagline (Swedish)"), max_length=200, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=200, blank=True)
    intro_sv = models.TextField(_("introduction (Swedish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    background_sv = models.TextField(_("background (Swedish)"), blank=True)
    background_en = models.TextField(_("background (English)"), blank=True)
    common_goal_sv = models.TextField(_("common goal (Swedish)"), blank=True)
    common_goal_en = models.TextField(_("common goal (English)"), blank=True)
    collaborators_sv = models.TextField(_("collaborators (Swedish)"), blank=True)
    collaborators_en = models.TextField(_("collaborators (English)"), blank=True)
    funding_sv = models.TextField(_("funding (Swedish)"), blank=True)
    funding_en = models.TextField(_("funding (English)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="annual_report_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year}"

    def in_language(self, field: str, language: str) -> str:
        return in_language(self, field, language)


class AnnualNarrative(TimeStampedModel):
    """A partner's own section of one agreement's report for a year: headline and text, in
    Swedish and English."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT,
        related_name="annual_narratives",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="annual_narratives",
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    headline_sv = models.CharField(_("headline (Swedish)"), max_length=120, blank=True)
    headline_en = models.CharField(_("headline (English)"), max_length=120, blank=True)
    text_sv = models.TextField(_("text (Swedish)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "organisation__name"]
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "year"],
                name="annual_narrative_one_per_agreement_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def in_language(self, field: str, language: str) -> str:
        return in_language(self, field, language)


class Quote(TimeStampedModel):
    """Words a person said, published only with their consent, recorded when given. A quote
    is never written for someone: it is what they said, as they agreed to have it printed."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="quotes"
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("section"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    text_sv = models.TextField(_("quote (Swedish)"), blank=True)
    text_en = models.TextField(_("quote (English)"), blank=True)
    said_by_sv = models.CharField(_("who said it (Swedish)"), max_length=200)
    said_by_en = models.CharField(_("who said it (English)"), max_length=200, blank=True)
    consent_on = models.DateField(_("consent given on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "year", "id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.text_sv[:60]

    def in_language(self, field: str, language: str) -> str:
        return in_language(self, field, language)


class ReportPhoto(PublicIdModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="photos"
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("section"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    file = models.ForeignKey(
        StoredFile, verbose_name=_("picture"), on_delete=models.PROTECT, related_name="+"
    )
    caption_sv = models.CharField(_("caption (Swedish)"), max_length=300, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=300, blank=True)
    credit = models.CharField(_("photo"), max_length=200)

    class Meta:
        ordering = ["agreement", "year", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption_sv or self.credit

    def in_language(self, field: str, language: str) -> str:
        return in_language(self, field, language)


class Edition(TimeStampedModel):
    """A published report, frozen as it was read: its pages in Swedish and English, and the
    pictures they show. Its PDFs are made from those pages when first asked for."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="editions"
    )
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    number = models.PositiveSmallIntegerField(_("edition"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    html_sv = models.TextField()
    html_en = models.TextField()
    files = models.ManyToManyField(StoredFile, related_name="+", blank=True)
    pdf_sv = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf_en = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-year", "-number"]
        verbose_name = _("published edition")
        verbose_name_plural = _("published editions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "number"], name="edition_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year} ({self.number})"
