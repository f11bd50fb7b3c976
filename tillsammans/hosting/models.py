"""Hjärterum: private hosts, the vetting of their homes, hosting agreements and rent.

A host's home is a ``housing.Unit`` (one household at a time) so that beds, stays and the
placement engine work on it as on any place; what is particular to a host lives here.
"""

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.housing.models import Unit
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household

from .fields import EncryptedTextField


class Programme(TimeStampedModel):
    """A host-home programme and the organisation that runs it as intermediate landlord.

    Which organisation runs host homes is data, not a name in the code: its staff (and the
    city's coordinators) are the only ones who see the hosts.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="host_programme",
    )
    name = models.CharField(_("name"), max_length=100, default="Hjärterum")

    class Meta:
        ordering = ["name"]
        verbose_name = _("host-home programme")
        verbose_name_plural = _("host-home programmes")

    def __str__(self) -> str:
        return self.name


class RentBasis(models.TextChoices):
    HOME = "home", _("per home")
    BED = "bed", _("per bed")


class HostPreference(models.TextChoices):
    ANY = "any", _("Anyone")
    FAMILY = "family", _("A family with children")
    ADULTS = "adults", _("Adults only")
    WOMEN = "women", _("Women, with or without children")
    ELDERLY = "elderly", _("Older people")


VETTING_STEPS = ("home_visit", "identity", "reference")


class Host(PublicIdModel):
    """A host household and the home it offers: one unit, one guest household at a time."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="hosts"
    )
    unit = models.OneToOneField(
        Unit, verbose_name=_("host home"), on_delete=models.PROTECT, related_name="host"
    )
    # Contact and address are personal data of a private person: encrypted at rest.
    name = EncryptedTextField(pgettext_lazy("person", "name"))
    phone = EncryptedTextField(_("phone"))
    email = EncryptedTextField(_("email"))
    address = EncryptedTextField(_("address"))
    district = models.CharField(_("district"), max_length=100)
    rooms = models.PositiveSmallIntegerField(_("rooms offered"), default=1)
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    pets_in_home = models.BooleanField(_("pets in the home"), default=False)
    guest_pets_welcome = models.BooleanField(_("guests' pets welcome"), default=False)
    smoking = models.BooleanField(_("smoking in the home"), default=False)
    children_welcome = models.BooleanField(_("children welcome"), default=True)
    accessible = models.BooleanField(_("accessible"), default=False)
    prefers = models.CharField(
        _("would prefer to host"),
        max_length=10,
        choices=HostPreference.choices,
        default=HostPreference.ANY,
    )
    preference_notes = models.CharField(_("more about the preference"), max_length=300, blank=True)
    rent_basis = models.CharField(
        _("rent"), max_length=4, choices=RentBasis.choices, default=RentBasis.HOME
    )
    monthly_rent = models.PositiveIntegerField(
        _("monthly rent (SEK)"), help_text=_("For the whole home, or for each bed.")
    )
    # The vetting checklist: each step with its date and who did it.
    home_visit_on = models.DateField(_("home visit"), null=True, blank=True)
    home_visit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    home_visit_notes = EncryptedTextField(_("notes from the home visit"))
    identity_on = models.DateField(_("identity seen"), null=True, blank=True)
    identity_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_notes = EncryptedTextField(_("notes on the identity check"))
    reference_on = models.DateField(_("reference checked"), null=True, blank=True)
    reference_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_notes = EncryptedTextField(_("notes on the reference"))
    # Retention (``hosting.retention``): set when the host's own data was anonymised.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["district", "id"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_until__gt=models.F("available_from")),
                name="host_available_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(rent_basis__in=RentBasis.values), name="host_rent_basis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.site.name} — {self.unit.name}"

    @property
    def vetted(self) -> bool:
        """The home checks are done; a guest also needs a signed agreement (see rules.py)."""
        return all(getattr(self, f"{step}_on") is not None for step in VETTING_STEPS)

    def available_on(self, day: dt.date) -> bool:
        return self.available_from <= day and (
            self.available_until is None or day < self.available_until
        )


class Answer(models.TextChoices):
    # A request to the host, not yet answered: the coordinator names the household, the
    # programme's staff ask the host and record the yes or no.
    ASKED = "asked", _("Asked, no answer yet")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class HostAnswer(TimeStampedModel):
    """A host asked whether they will take a household, and the answer: a home takes a
    household only after a yes and a signed agreement (``reception.eligibility``)."""

    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.CASCADE, related_name="answers"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"note": ""}

    class Meta:
        ordering = ["-answered_on", "-id"]
        verbose_name = _("host's answer")
        verbose_name_plural = _("hosts' answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__in=Answer.values), name="host_answer_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.host_id} {self.household_id} {self.answer}"


class EndReason(models.TextChoices):
    OWN_HOUSING = "own_housing", _("The guests got housing of their own")
    OTHER_MUNICIPALITY = "other_municipality", _("The guests moved to another municipality")
    RETURNED = "returned", _("The guests returned to Ukraine")
    MOVED = "moved", _("The guests moved to another place in the reception")
    HOST = "host", _("The host could no longer host")
    CONFLICT = "conflict", _("It did not work out between host and guests")
    OTHER = "other", pgettext_lazy("reason for ending", "Other")


class HostingAgreement(PublicIdModel):
    """The sublet agreement of one hosting: the host lets to the organisation as tenant,
    which sublets to the guest household. Signed by all three before the guests move in."""

    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.PROTECT, related_name="agreements"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("guest household"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("signed on"))
    signed_by_host = models.BooleanField(_("signed by the host"), default=False)
    signed_by_organisation = models.BooleanField(
        _("signed by the organisation as tenant"), default=False
    )
    signed_by_guest = models.BooleanField(
        _("signed by the guest household as subtenant"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    next_place = models.CharField(
        _("next place planned"),
        max_length=200,
        blank=True,
        help_text=_("Where the guests go when the agreement ends, once it is known."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_notes = EncryptedTextField(_("notes on the ending"))

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"end_notes": "", "next_place": ""}

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("hosting agreement")
        verbose_name_plural = _("hosting agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="host_agreement_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    signed_by_host=True, signed_by_organisation=True, signed_by_guest=True
                ),
                name="host_agreement_signed_by_three",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} ← {self.household}"


class WithWhom(models.TextChoices):
    HOST = "host", _("The host")
    GUEST = "guest", _("The guests")
    BOTH = "both", _("Host and guests")


class FollowUp(TimeStampedModel):
    """A support contact with the host, the guests or both during a hosting."""

    host = models.ForeignKey(
        Host, verbose_name=_("host"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=5, choices=WithWhom.choices)
    concerns = EncryptedTextField(_("concerns"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.host_id} {self.on}"


class AppendOnlyQuerySet(models.QuerySet["RentPayment"]):
    """What was paid is kept as it was: bulk changes are refused like instance changes."""

    def update(self, **kwargs: object) -> int:
        raise RentFrozenError("A paid month cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RentFrozenError("A paid month cannot be changed.")


class HostRent(models.Model):
    """A host's rent from a day on, until its next row (issue 14, ADR 32): a month's rent is
    paid at the rent of each night, so a new rent never changes a month already paid. The
    host's own ``rent_basis`` and ``monthly_rent`` are the rent in force today."""

    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="rents")
    valid_from = models.DateField(_("from"))
    rent_basis = models.CharField(_("rent"), max_length=4, choices=RentBasis.choices)
    monthly_rent = models.PositiveIntegerField(_("monthly rent (SEK)"))

    class Meta:
        ordering = ["host", "valid_from"]
        verbose_name = _("host's rent")
        verbose_name_plural = _("hosts' rents")
        constraints = [
            models.UniqueConstraint(fields=["host", "valid_from"], name="host_rent_one_a_day"),
            models.CheckConstraint(
                condition=models.Q(rent_basis__in=RentBasis.values),
                name="host_rent_row_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host_id} {self.valid_from}: {self.monthly_rent} ({self.rent_basis})"


class RentFrozenError(Exception):
    pass


class RentMonth(TimeStampedModel):
    """A month whose rent to the hosts was paid: from then on its payments never change."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rent_months")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    paid_at = models.DateTimeField(_("marked as paid"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked as paid by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("paid rent month")
        verbose_name_plural = _("paid rent months")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "month"], name="rent_month_paid_once"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="rent_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year:04d}-{self.month:02d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RentFrozenError("A paid month cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RentFrozenError("A paid month cannot be changed.")


class RentPayment(models.Model):
    """One host's rent for a paid month, as computed and paid then."""

    rent_month = models.ForeignKey(RentMonth, on_delete=models.PROTECT, related_name="payments")
    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="payments")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    nights = models.PositiveIntegerField(_("nights hosted"))
    rent_basis = models.CharField(_("rent"), max_length=4, choices=RentBasis.choices)
    monthly_rent = models.PositiveIntegerField(_("monthly rent (SEK)"))
    amount = models.PositiveIntegerField(_("amount (SEK)"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["rent_month", "id"]
        verbose_name = _("rent payment")
        verbose_name_plural = _("rent payments")
        constraints = [
            # A host is paid once a month for each rent in force in it.
            models.UniqueConstraint(
                fields=["rent_month", "host", "period_start"], name="rent_payment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rent_month} {self.host_id} {self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RentFrozenError("A paid month cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RentFrozenError("A paid month cannot be changed.")

    @property
    def basis_label(self) -> str:
        return str(RentBasis(self.rent_basis).label)
