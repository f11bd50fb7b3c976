"""A person's requests under the GDPR: a correction asked for, and how it was handled
(issue 15). The register extract itself is a file made by the worker (``privacy.extract``)."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import PublicIdModel
from tillsammans.people.models import Person


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("open")
    CORRECTED = "corrected", _("corrected")
    REFUSED = "refused", _("refused, with reasons")


class CorrectionRequest(PublicIdModel):
    """What a person asked to have corrected (GDPR art. 16), when, and what was done."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="corrections"
    )
    received_on = models.DateField(_("received on"))
    request = models.TextField(_("what the person asks to have corrected"))
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN,
    )  # fmt: skip
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    outcome = models.TextField(_("what was done, or why not"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"request": "–", "outcome": ""}

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("request for correction")
        verbose_name_plural = _("requests for correction")

    def __str__(self) -> str:
        return f"{self.person} {self.received_on}"


class ReviewFindings(models.Model):
    """What the review's rules found in a month's reads and the month's sample, computed by
    the worker (``privacy.review``): a month of a city's reads is millions of rows, more than
    a page should read. A month that is over does not change; the current one is computed
    again on request."""

    month = models.DateField(_("month"), unique=True)
    computed_at = models.DateTimeField(_("computed"))
    reads = models.PositiveIntegerField(_("reads"))
    findings = models.JSONField(_("findings"), default=dict)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("findings of a log review")
        verbose_name_plural = _("findings of log reviews")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class LogReview(models.Model):
    """The data protection officer's sign-off of a month's review of the audit log: what the
    rules flagged and the sample, as counted when signed, and the officer's notes. Kept."""

    month = models.DateField(_("month"), unique=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    flagged = models.JSONField(_("flagged"), default=dict)
    sample = models.JSONField(_("sample"), default=list)
    notes = models.TextField(_("notes"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("log review")
        verbose_name_plural = _("log reviews")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
