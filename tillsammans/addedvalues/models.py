"""Added values (mervärden): each partner's catalogue of services and what it delivers."""

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tillsammans.core.lib.languages import language_names, listed
from tillsammans.core.models import PublicIdModel
from tillsammans.housing.models import Site
from tillsammans.partnership.models import Agreement, Organisation
from tillsammans.people.models import Household, Person

MAX_LIMIT_DAYS = 366
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ServiceCategory(models.TextChoices):
    FOOD = "food", _("Food")
    CLOTHING = "clothing", _("Clothing and hygiene")
    HEALTH = "health", _("Health")
    LANGUAGE = "language", _("Language")
    WORK = "work", _("Work and internships")
    GUIDANCE = "guidance", _("Counselling and civic guidance")
    LEISURE = "leisure", _("Leisure and culture")
    CHILDREN = "children", _("Child and youth support")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    STAFF_TRAINING = "staff_training", _("Staff training")
    OTHER = "other", pgettext_lazy("service category", "Other")


class Eligibility(models.TextChoices):
    RESIDENTS = "residents", _("Residents of the partnership only")
    ANYONE = "anyone", _("Anyone")


class LimitEnforcement(models.TextChoices):
    WARN = "warn", _("Warn, and let staff record it anyway")
    REFUSE = "refuse", _("Refuse")


class Service(PublicIdModel):
    """One added-value service (or meeting place) that one partner offers.

    The name, description and the note on the schedule are kept in the three languages of the
    product, because residents read them on the public page in Ukrainian.
    """

    # The agreement under which the service is offered, so that each agreement's report
    # counts its own; empty for a service outside any agreement.
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="services",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200, blank=True)
    # Arabic, for the residents of the partnership for unaccompanied minors (issue 13).
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    category = models.CharField(_("category"), max_length=24, choices=ServiceCategory.choices)
    is_meeting_place = models.BooleanField(
        _("meeting place"),
        default=False,
        help_text=_("An open place where visitors may be counted without names."),
    )
    # Where: one of the partner's own sites, or an address in free text.
    site = models.ForeignKey(
        Site,
        verbose_name=_("at the site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # When: weekdays (0 = Monday) and opening hours, read out in the reader's language.
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    schedule_sv = models.CharField(_("when, in words (Swedish)"), max_length=200, blank=True)
    schedule_en = models.CharField(_("when, in words (English)"), max_length=200, blank=True)
    schedule_uk = models.CharField(_("when, in words (Ukrainian)"), max_length=200, blank=True)
    schedule_ar = models.CharField(_("when, in words (Arabic)"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    eligibility = models.CharField(
        _("who may use it"),
        max_length=12,
        choices=Eligibility.choices,
        default=Eligibility.RESIDENTS,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("People per occasion; empty if open.")
    )
    # The rule: at most limit_count deliveries per household within limit_days days.
    limit_count = models.PositiveSmallIntegerField(
        _("at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Deliveries per household; empty for no limit."),
    )
    limit_days = models.PositiveSmallIntegerField(
        _("within days"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LIMIT_DAYS)],
        help_text=_("1 means per day, 7 per week."),
    )
    limit_enforcement = models.CharField(
        _("when the limit is reached"),
        max_length=8,
        choices=LimitEnforcement.choices,
        default=LimitEnforcement.REFUSE,
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public page for residents.")
    )
    notes_confidential = models.BooleanField(
        _("only our organisation reads the notes"),
        default=False,
        help_text=_(
            "For support such as a psychologist's: the notes of each session are shown to no "
            "one outside your organisation, not even the child's case worker or home."
        ),
    )

    class Meta:
        ordering = ["organisation__name", "category", "name_sv"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=ServiceCategory.values),
                name="service_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(eligibility__in=Eligibility.values),
                name="service_eligibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(limit_days__gte=1) & models.Q(limit_days__lte=MAX_LIMIT_DAYS),
                name="service_limit_days_range",
            ),
            models.CheckConstraint(
                condition=models.Q(limit_count__isnull=True) | models.Q(limit_count__gte=1),
                name="service_limit_count_positive",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "category"], name="service_public")]

    def __str__(self) -> str:
        return self.name_sv

    def _in_language(self, stem: str, language: str | None = None) -> str:
        code = (language or get_language() or "sv")[:2]
        for candidate in (code, "sv", "en", "uk"):
            value = getattr(self, f"{stem}_{candidate}", "")
            if value:
                return str(value)
        return ""

    def name(self, language: str | None = None) -> str:
        return self._in_language("name", language)

    def description(self, language: str | None = None) -> str:
        return self._in_language("description", language)

    def schedule_note(self, language: str | None = None) -> str:
        return self._in_language("schedule", language)

    @property
    def localized_name(self) -> str:
        return self.name()

    @property
    def localized_description(self) -> str:
        return self.description()

    @property
    def when(self) -> str:
        """Weekdays and hours in the active language, then the note in words."""
        names = dict(WEEKDAYS)
        parts = []
        days = listed(str(names[day]) for day in self.weekdays if day in names)
        if days:
            parts.append(days)
        if self.starts_at and self.ends_at:
            parts.append(f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}")
        elif self.starts_at:
            parts.append(f"{self.starts_at:%H:%M}")
        note = self.schedule_note()
        if note:
            parts.append(note)
        return " · ".join(parts)

    @property
    def language_names(self) -> str:
        return language_names(self.languages)

    @property
    def where(self) -> str:
        if self.site_id is not None:
            site = self.site
            assert site is not None
            parts = [site.name, site.address, site.city]
            return ", ".join(part for part in parts if part)
        return self.address

    @property
    def has_limit(self) -> bool:
        return self.limit_count is not None


class Delivery(PublicIdModel):
    """A service given once: to a household (and maybe one of its persons), or to a number of
    visitors counted without names (household empty, ``quantity`` the head count).

    A delivery belongs to the partner that provides the service (``organisation``, copied from
    the service so that scoping is one indexed filter); no other partner sees it.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="deliveries"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("provided by"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    delivered_on = models.DateField(_("date"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Set when staff recorded it although the service's limit warned against it.
    limit_warning = models.CharField(_("limit warning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"note": ""}

    # Kept when the household is anonymised (people.retention):
    # the warning names a limit, not a person.
    retention_kept: ClassVar[tuple[str, ...]] = ("limit_warning",)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household__isnull=False) | models.Q(person__isnull=True),
                name="delivery_person_needs_household",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="delivery_quantity_positive"
            ),
        ]
        indexes = [
            models.Index(
                fields=["service", "household", "delivered_on"], name="delivery_rule_lookup"
            ),
            models.Index(fields=["household", "organisation"], name="delivery_household_org"),
            models.Index(fields=["organisation", "delivered_on"], name="delivery_org_month"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.delivered_on}"

    @property
    def is_head_count(self) -> bool:
        return self.household_id is None


class DeliveryBatch(PublicIdModel):
    """One confirmed list of deliveries from the bulk form. Its public id is the token of the
    preview that the user confirmed, unique, so that the same confirmation posted twice (a
    double click, the browser's back button) records nothing the second time."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("list of deliveries")
        verbose_name_plural = _("lists of deliveries")

    def __str__(self) -> str:
        return f"{self.service} {self.created_at:%Y-%m-%d %H:%M}"
