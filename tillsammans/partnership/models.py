import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.lib import orgnumber
from tillsammans.core.models import TimeStampedModel


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    NONPROFIT = "nonprofit", _("Non-profit organisation")


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    website = models.URLField(_("website"), blank=True)
    # NNNNNN-NNNN, checked (core.lib.orgnumber); blank only for organisations entered before
    # the number was asked for.
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[orgnumber.validate]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~models.Q(organisation_number=""),
                name="organisation_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER_ADMIN = "partner_admin", _("Partner administrator")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    VIEWER = "viewer", _("Viewer")


class Membership(TimeStampedModel):
    """A user works for exactly one organisation, in one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def sees_people(self) -> bool:
        return self.role != Role.VIEWER


class Agreement(TimeStampedModel):
    """The IOP agreement: who is party to it, for how long, how many places."""

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parties"), related_name="agreements"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def target_places_on(self, day: dt.date) -> int:
        target = self.targets.filter(valid_from__lte=day).order_by("-valid_from").first()
        return target.places if target else 0


class AgreementTarget(TimeStampedModel):
    """The agreed number of places from a date (the 2022 agreement went from 500 to 1 000)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    valid_from = models.DateField(_("valid from"))
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ["agreement", "valid_from"]
        verbose_name = _("target number of places")
        verbose_name_plural = _("target numbers of places")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_from"], name="agreement_target_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.places} ({self.valid_from})"


class GroupKind(models.TextChoices):
    STEERING = "steering", _("Steering group")
    COOPERATION = "cooperation", _("Cooperation group")
    SITE_MANAGERS = "site_managers", _("Site managers' group")
    REFERENCE = "reference", _("Reference group")


class GovernanceGroup(TimeStampedModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    purpose = models.TextField(_("purpose"), blank=True)

    class Meta:
        ordering = ["agreement", "kind"]
        verbose_name = _("governance group")
        verbose_name_plural = _("governance groups")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="group_kind_unique")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class GroupMember(TimeStampedModel):
    group = models.ForeignKey(GovernanceGroup, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "organisation__name", "name"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
