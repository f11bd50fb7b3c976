import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.lib import orgnumber
from tillsammans.core.models import PublicIdModel, StoredFile, TimeStampedModel


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
    logo = models.ForeignKey(
        StoredFile, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

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
    # The social services' case worker who holds unaccompanied children's cases and decides
    # their placements (the minors app); works for the municipality and sees only their cases.
    CASE_WORKER = "case_worker", _("Social services case worker")


# Roles only the municipality's users hold, given only by a coordinator.
MUNICIPAL_ROLES = (Role.COORDINATOR, Role.CASE_WORKER)
# Roles that work with the reception's people (households, stays, coupons, volunteers): not the
# viewers, who see figures, nor the case workers, who see only their own cases (ADR 27).
PEOPLE_ROLES = (Role.COORDINATOR, Role.PARTNER_ADMIN, Role.PARTNER_STAFF)


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
        return self.role in PEOPLE_ROLES


class Agreement(PublicIdModel):
    """An IOP agreement: what it is for, who is party to it and when, how many places.

    Several run at once (the 2015 one for unaccompanied minors, the 2022 one for people
    fleeing Ukraine); a user works only in those their organisation is party to.
    """

    name = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parties"), related_name="agreements", through="Party"
    )
    description = models.TextField(_("summary"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    common_goal = models.TextField(_("common goal"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    shared_values = models.TextField(_("shared values"), blank=True)
    # The city's own role: which of its organisations coordinates, and how, in words.
    coordinator = models.ForeignKey(
        Organisation, verbose_name=_("coordinating organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="coordinated_agreements",
    )  # fmt: skip
    coordination = models.TextField(_("the city's role"), blank=True)

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

    def get_absolute_url(self) -> str:
        return reverse("agreement_page", args=[self.public_id])

    def target_places_on(self, day: dt.date) -> int:
        target = self.targets.filter(valid_from__lte=day).order_by("-valid_from").first()
        return target.places if target else 0

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def running_in(start: dt.date, end: dt.date) -> models.Q:
    """Agreements that run some day of [start, end)."""
    return models.Q(starts_on__lt=end) & (
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=start)
    )


def taking_part_in(start: dt.date, end: dt.date) -> models.Q:
    """Parties (``Party`` rows) that take part some day of [start, end)."""
    return models.Q(joined_on__lt=end) & (
        models.Q(left_on__isnull=True) | models.Q(left_on__gte=start)
    )


class Party(TimeStampedModel):
    """An organisation's part in an agreement: from when, until when, and what it brings (the
    per-partner annex). Seed 004: two organisations joined the 2015 agreement later."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE,
        related_name="party_set",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="parties",
    )  # fmt: skip
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    contribution = models.TextField(_("contribution"), blank=True)

    class Meta:
        ordering = ["agreement", "organisation__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_once_per_agreement"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="party_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.agreement}"

    def active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("Signed agreement")
    ANNEX = "annex", _("Annex")
    PARTNER_ANNEX = "partner_annex", _("Partner's annex")
    OTHER = "other", _("Other document")


class AgreementDocument(PublicIdModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE,
        related_name="documents",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # The partner a partner's annex belongs to.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    file = models.ForeignKey(
        StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "kind", "title"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return self.title


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
    OTHER = "other", _("Other group")


class GovernanceGroup(TimeStampedModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    # Its own name for a group of kind "other" (a summer-jobs group); blank for the rest.
    name = models.CharField(pgettext_lazy("group", "name"), max_length=120, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)

    class Meta:
        ordering = ["agreement", "kind", "name"]
        verbose_name = _("governance group")
        verbose_name_plural = _("governance groups")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "name"], name="group_kind_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())


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


class Meeting(TimeStampedModel):
    group = models.ForeignKey(
        GovernanceGroup, verbose_name=_("group"), on_delete=models.CASCADE,
        related_name="meetings",
    )  # fmt: skip
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["group", "-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.group} {self.held_on}"


class Decision(TimeStampedModel):
    """What a meeting decided, who carries it out and by when; followed up until done."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        Organisation, verbose_name=_("responsible organisation"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    owner_name = models.CharField(_("responsible person"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:60]


class Measure(models.TextChoices):
    """What an indicator computed from the data counts (reporting computes it)."""

    PLACED_WITHIN_48H = "placed_48h", _("Share of households placed within 48 hours")
    HEALTH_REACH = "health_reach", _("Share of residents reached by a health service")
    IN_WORK = "in_work", _("Persons who got work")
    RECEIVED = "received", _("Persons received")
    PLACES = "places", _("Places made available")
    MOVED_ON = "moved_on", _("Households that moved on to a home of their own")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")
    SERVICES = "services", _("Services delivered")
    # Unaccompanied children (the minors app computes them):
    GUARDIAN_IN_TIME = "guardian_14d", _("Share of children with a guardian within 14 days")
    CHILDREN_WITH_PLAN = "minors_plan", _("Share of children with an implementation plan")
    CHILDREN_WITH_VOLUNTEER = (
        "minors_volunteer",
        _("Share of children with a contact family, leisure volunteer or mentor"),
    )
    CHILDREN_IN_SERVICES = (
        "minors_services",
        _("Children in homework help, work training, internships or other services"),
    )
    RELATIVES_FOUND = "relatives_found", _("Relatives found for family reunification")
    AFTER_18_IN_TIME = (
        "after_18_in_time",
        _("Share of young people with a decision for 18 before their birthday"),
    )


MINORS_MEASURES = (
    Measure.GUARDIAN_IN_TIME, Measure.CHILDREN_WITH_PLAN, Measure.CHILDREN_WITH_VOLUNTEER,
    Measure.CHILDREN_IN_SERVICES, Measure.RELATIVES_FOUND, Measure.AFTER_18_IN_TIME,
)  # fmt: skip


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", _("per cent")
    PERSONS = "persons", _("persons")
    NUMBER = "number", _("number")


class Goal(TimeStampedModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # For the annual report's English edition; empty: the Swedish text is printed.
    title_en = models.CharField(_("goal in English"), max_length=300, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta:
        ordering = ["agreement", "position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        return (self.title_en if language == "en" else "") or self.title

    def description_in(self, language: str) -> str:
        return (self.description_en if language == "en" else "") or self.description


class Indicator(TimeStampedModel):
    """How a goal is followed: computed from the data (``measure``) or entered per year by
    hand (a survey), each with a baseline and a target."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=300)
    name_en = models.CharField(_("indicator in English"), max_length=300, blank=True)
    measure = models.CharField(
        _("computed from"), max_length=20, choices=Measure.choices, blank=True,
        help_text=_("Empty: the value is entered each year."),
    )  # fmt: skip
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["goal", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return (self.name_en if language == "en" else "") or self.name

    @property
    def computed(self) -> bool:
        return bool(self.measure)


class IndicatorValue(TimeStampedModel):
    """A year's outcome of an indicator entered by hand."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("outcome"), max_digits=12, decimal_places=1)
    note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class Invitation(PublicIdModel):
    """A person asked by e-mail to join an organisation in a role. The link's secret is kept
    only as its SHA-256; the invitation expires, and is used once."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="invitations",
    )  # fmt: skip
    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} — {self.organisation}"

    def pending_at(self, moment: dt.datetime) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and moment < self.expires_at
