"""Compensation rates of the agreement: what the city pays partners, and the state the city."""

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import PublicIdModel, TimeStampedModel
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
    # An unaccompanied child's or young person's nights are paid under their own rates (the
    # state's compensation for unaccompanied minors), never also as a child's or adult's.
    UNACCOMPANIED_CHILD = "unaccomp_child", _("Per unaccompanied child and night")
    UNACCOMPANIED_YOUNG = "unaccomp_young", _("Per unaccompanied young person (18–20) and night")
    MOVE_IN = "move_in", _("Per person moved in")
    NEW_PLACE = "new_place", _("Per place made available")
    # The state's amount per place in the municipality's distribution figure (fördelningstal),
    # paid once for each place when the figure is set or raised (``DistributionFigure``).
    FIGURE_PLACE = "figure_place", _("Per place in the distribution figure")
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


class DistributionFigure(TimeStampedModel):
    """The municipality's distribution figure (fördelningstal) for a year, as the Migration
    Agency set it on a day: the places the municipality is to arrange that year. The state pays
    its amount per place (``RateKind.FIGURE_PLACE``) once for each place of a year's figure, in
    the month the figure is set, and again for the places by which a later figure for the same
    year raises it; a lower figure pays nothing back. A new year's figure is paid afresh (the
    Migration Agency paid 10 000 kr a place for 2022's figures and again for 2023's). Each
    figure is a row, never edited: a correction removes it and records another."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="figures"
    )
    decided_on = models.DateField(_("set on"))
    year = models.PositiveSmallIntegerField(
        _("for the year"), help_text=_("The year the figure is for: the year it is set, or the "
                                       "next when it is set in advance.")
    )  # fmt: skip
    places = models.PositiveIntegerField(_("places"))
    reference = models.CharField(
        _("decision"), max_length=100, blank=True,
        help_text=_("The Migration Agency's reference for the decision, if any."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "decided_on"]
        verbose_name = _("distribution figure")
        verbose_name_plural = _("distribution figures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "decided_on"], name="distribution_figure_one_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decided_on}: {self.places}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Sent back")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded by a correction")


# While a report is in one of these states, its partner may change it.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# At most one version of a month is open (being written or reviewed) at a time.
OPEN = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


class CostType(models.TextChoices):
    STAFF = "staff", _("Staff")
    PREMISES = "premises", _("Premises")
    FOOD = "food", _("Food")
    TRANSPORT = "transport", _("Transport")
    MATERIAL = "material", _("Material")
    OTHER = "other", pgettext_lazy("cost", "Other")


def _sek(label: Any) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )


class MonthlyReport(PublicIdModel):
    """A partner's financial report for one month under one agreement: figures, costs, own
    contribution (a partner in two agreements reports each month under each).

    The figures and the compensation are computed from the data while the report is written
    and frozen into ``figures`` and ``compensation_lines`` when it is submitted, so a later
    change of a rate or a stay does not change what was submitted. An approved report is
    locked; a correction is a new version (``previous`` the approved one it corrects), which
    supersedes it when approved. No person is named: figures only.
    """

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    cost_staff = _sek(_("staff"))
    cost_premises = _sek(_("premises"))
    cost_food = _sek(_("food"))
    cost_transport = _sek(_("transport"))
    cost_material = _sek(_("material"))
    cost_other = _sek(pgettext_lazy("cost", "other"))
    volunteer_hours = models.DecimalField(
        _("volunteer hours"),
        max_digits=8,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    donated_goods = _sek(_("donated goods (SEK)"))
    own_funds = _sek(_("own funds (SEK)"))
    comment = models.TextField(_("comments"), blank=True)
    # Frozen at submission; empty while the report is a draft.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    compensation_lines = models.JSONField(_("compensation lines"), default=list, blank=True)
    compensation_total = models.DecimalField(
        _("compensation (SEK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rates_used = models.ManyToManyField(
        CompensationRate, verbose_name=_("rates used"), blank=True, related_name="reports"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "organisation__name", "-version"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation", "month", "version"],
                name="report_unique_version",
            ),
            # The backstops of the services' locks: one approved and one open version a month.
            models.UniqueConstraint(
                fields=["agreement", "organisation", "month"],
                condition=models.Q(status="approved"),
                name="report_one_approved_per_month",
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation", "month"],
                condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="report_one_open_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name} {self.month:%Y-%m} v{self.version}"

    @property
    def costs_total(self) -> Decimal:
        return sum((getattr(self, f"cost_{kind}") for kind in CostType.values), Decimal(0))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_frozen(self) -> bool:
        """Figures and compensation come from the snapshot, not from today's data."""
        return self.status not in EDITABLE

    @property
    def flagged(self) -> bool:
        """Compensation above costs: an IOP pays costs, so the coordinator looks closer."""
        return self.compensation_total is not None and self.compensation_total > self.costs_total


class ReportEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("report event", "Started")
    SUBMITTED = "submitted", pgettext_lazy("report event", "Submitted")
    COMMENTED = "commented", pgettext_lazy("report event", "Commented")
    RETURNED = "returned", pgettext_lazy("report event", "Sent back")
    APPROVED = "approved", pgettext_lazy("report event", "Approved")
    SUPERSEDED = "superseded", pgettext_lazy("report event", "Superseded")


class ReportEvent(TimeStampedModel):
    """The report's history as its readers see it: who did what, with the comment."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=ReportEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


# -- the state's payments and their reconciliation (issue 14) -------------------------------


class PaymentFile(PublicIdModel):
    """One file of what the state paid for a month under an agreement, as imported: a file
    (by its content's digest) is imported once, under one agreement (the same statement
    under two agreements would count its money twice)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    file_name = models.CharField(_("file"), max_length=200)
    digest = models.CharField(max_length=64, editable=False)
    rows = models.PositiveIntegerField(_("rows"))
    total = models.DecimalField(_("total (SEK)"), max_digits=16, decimal_places=2)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["month", "created_at", "id"]
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        constraints = [
            models.UniqueConstraint(fields=["digest"], name="payment_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.month:%Y-%m})"


class StatePayment(models.Model):
    """One row of a payment file: an amount of one kind, for one person or for the month."""

    file = models.ForeignKey(
        PaymentFile, verbose_name=_("payment file"), on_delete=models.CASCADE,
        related_name="payments",
    )  # fmt: skip
    line = models.PositiveIntegerField(_("line"))
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=RateKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=2)

    # When a payment was written, for retention (people.retention): its file's import.
    retention_dated_by: ClassVar[str] = "file__created_at"

    class Meta:
        ordering = ["file", "line"]
        verbose_name = _("state payment")
        verbose_name_plural = _("state payments")
        indexes = [models.Index(fields=["file", "person"], name="state_payment_person")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount}"


class Reconciliation(TimeStampedModel):
    """A month of the state's payments checked against the ledger; frozen when every
    difference is decided, so that it stays as it was decided."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    counted = models.DecimalField(
        _("counted (SEK)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    paid = models.DecimalField(
        _("paid (SEK)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["month"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "month"], name="reconciliation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class DifferenceNature(models.TextChoices):
    PAID_NOT_COUNTED = "paid_only", _("Paid but not counted")
    COUNTED_NOT_PAID = "counted_only", _("Counted but not paid")
    AMOUNT = "amount", _("Amounts differ")


class Decision(models.TextChoices):
    EXPLAINED = "explained", _("Explained")
    CLAIM = "claim", _("To be claimed")
    WRITE_OFF = "write_off", _("Written off")


class PaymentDifference(TimeStampedModel):
    """The coordinator's decision on one difference of a month (a person's kind of amount, or
    the month's where the state pays per month), with the amounts it was decided on: a
    decision holds while the amounts stay the same. Once the month is frozen these rows are
    the month's differences."""

    reconciliation = models.ForeignKey(
        Reconciliation, verbose_name=_("reconciliation"), on_delete=models.CASCADE,
        related_name="differences",
    )  # fmt: skip
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=RateKind.choices)
    nature = models.CharField(_("difference"), max_length=12, choices=DifferenceNature.choices)
    counted = models.DecimalField(_("counted (SEK)"), max_digits=14, decimal_places=2)
    paid = models.DecimalField(_("paid (SEK)"), max_digits=14, decimal_places=2)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"note": "Anonymiserad"}

    class Meta:
        ordering = ["reconciliation", "kind", "person"]
        verbose_name = _("payment difference")
        verbose_name_plural = _("payment differences")
        constraints = [
            models.UniqueConstraint(
                fields=["reconciliation", "person", "kind"],
                condition=models.Q(person__isnull=False),
                name="difference_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["reconciliation", "kind"],
                condition=models.Q(person__isnull=True),
                name="difference_once_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.counted} / {self.paid}"


class ReportReminder(models.Model):
    """A partner reminded, once, that its monthly report under an agreement is not submitted
    (``finance.reminders``): the row keeps the reminder from being sent again."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-month", "organisation"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "month"], name="report_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"
