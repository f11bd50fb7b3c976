import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillsammans.core.lib.geo import Point, district_centre
from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.partnership.models import Agreement, Organisation


class SiteKind(models.TextChoices):
    COLLECTIVE_FOOD = "collective_food", _("Collective site with food service")
    COLLECTIVE_SELF = "collective_self", _("Self-catering collective site")
    APARTMENT = "apartment", _("Apartment")
    HVB = "hvb", _("Licensed HVB home for minors")
    SUPPORTED = "supported", _("Supported housing for young people (stödboende)")
    FAMILY_HOME = "family_home", _("Family home")
    HOST_HOME = "host_home", _("Host home in a private household")


# Homes for children and young people: only an unaccompanied child or young person placed by
# the social services may live there, under a licence that covers them (reception/eligibility).
CHILDREN_KINDS = (SiteKind.HVB, SiteKind.SUPPORTED, SiteKind.FAMILY_HOME)


class Site(PublicIdModel):
    """A housing site (boende), run by a partner or by the city itself (egen regi)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="sites"
    )
    # The agreement whose places the site offers, so that each agreement's report counts its
    # own; empty for a site outside any agreement (the city's own, or from before agreements).
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="sites",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Göteborg")
    district = models.CharField(_("district"), max_length=100, blank=True, db_index=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    # Where the site is, for the distance part of a placement's fit; without coordinates the
    # district's centre is used.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_("Decimal degrees, e.g. 57.70887. Leave empty to use the district's centre."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Decimal degrees, e.g. 11.97456."),
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="site_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SiteKind.values), name="site_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="site_coordinates_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def location(self) -> Point | None:
        """The site's coordinates, else its district's centre, else unknown."""
        if self.latitude is not None and self.longitude is not None:
            return (float(self.latitude), float(self.longitude))
        return district_centre(self.district)

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day < self.closes_on)


class LicenceSex(models.TextChoices):
    ANY = "any", _("Girls and boys")
    FEMALE = "female", _("Girls")
    MALE = "male", _("Boys")


class Licence(PublicIdModel):
    """The licence of a home for children: from the inspectorate (IVO) for an HVB home or
    supported housing, the social services' approval for a family home. It says whom the
    home may take (ages, sex) and how many, from when to when; a renewal is a new licence."""

    site = models.ForeignKey(
        Site, verbose_name=_("home"), on_delete=models.CASCADE, related_name="licences"
    )
    number = models.CharField(_("licence number"), max_length=100)
    # The partner itself, or the city when the partner runs the home as its contractor.
    holder = models.ForeignKey(
        Organisation, verbose_name=_("licence holder"), on_delete=models.PROTECT,
        related_name="licences",
    )  # fmt: skip
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), validators=[MaxValueValidator(20)]
    )
    max_age = models.PositiveSmallIntegerField(_("oldest age"), validators=[MaxValueValidator(20)])
    sex = models.CharField(
        _("for"), max_length=8, choices=LicenceSex.choices, default=LicenceSex.ANY
    )
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("The last day. Empty until further notice."),
    )

    class Meta:
        ordering = ["site", "-valid_from"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")), name="licence_ages_ordered"
            ),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="licence_places"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="licence_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=LicenceSex.values), name="licence_sex_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class HomeUse(models.TextChoices):
    ASYLUM = "asylum", _("Asylum home")
    RESIDENCE = "residence", _("Home for young people with a residence permit")


class SiteUse(TimeStampedModel):
    """Whether a home for children takes asylum seekers or young people with a residence
    permit, from a date: "Flera boenden är avsedda att bli PUT-boenden men inleds som asyl"
    (seed 003)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="uses")
    use = models.CharField(_("use"), max_length=12, choices=HomeUse.choices)
    valid_from = models.DateField(_("from"))

    class Meta:
        ordering = ["site", "valid_from"]
        verbose_name = _("use of the home")
        verbose_name_plural = _("uses of the home")
        constraints = [
            models.UniqueConstraint(fields=["site", "valid_from"], name="site_use_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(use__in=HomeUse.values), name="site_use_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_use_display()} ({self.valid_from})"


FEATURES = ("accessible", "pets_allowed", "children_ok", "food_service")


def feature_label(name: str) -> str:
    """A unit feature (or a household's need of it) in the user's language."""
    if name not in FEATURES:
        return name
    return str(getattr(Unit._meta.get_field(name), "verbose_name", name))


class Unit(PublicIdModel):
    """A room, apartment or host home inside a site. Its beds are the rows of ``Bed``."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    max_households = models.PositiveIntegerField(
        _("maximum households"),
        null=True,
        blank=True,
        help_text=_("Empty for no limit; a host home takes one household."),
    )
    accessible = models.BooleanField(_("accessible"), default=False)
    pets_allowed = models.BooleanField(_("pets allowed"), default=False)
    children_ok = models.BooleanField(_("children welcome"), default=True)
    food_service = models.BooleanField(_("food service"), default=False)
    host_languages = models.JSONField(
        _("host's languages"),
        default=list,
        blank=True,
        help_text=_("For a host home: the languages the hosts speak, e.g. sv, en, uk."),
    )

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="unit_name_unique_in_site"),
            models.CheckConstraint(
                condition=models.Q(max_households__isnull=True) | models.Q(max_households__gte=1),
                name="unit_max_households_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} — {self.name}"

    def features(self) -> set[str]:
        return {name for name in FEATURES if getattr(self, name)}


class Bed(TimeStampedModel):
    """One bed. Capacity is the number of beds; a blocked bed cannot be used."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="beds")
    number = models.PositiveIntegerField(_("number"))
    blocked = models.BooleanField(_("blocked"), default=False)

    class Meta:
        ordering = ["unit", "number"]
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="bed_number_unique_in_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} #{self.number}"


class BedCount(models.Model):
    """A unit's beds from a day on, until its next row: the history the money needs (issue
    14). The rows of ``Bed`` are the unit as it is today, which placing uses; a month's
    available places and place-days are counted from these rows, so a bed count changed
    today never changes a month already reported or paid (ADR 32)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="bed_counts")
    valid_from = models.DateField(_("from"))
    beds = models.PositiveIntegerField(_("beds"))
    usable = models.PositiveIntegerField(_("usable beds"))

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("bed count")
        verbose_name_plural = _("bed counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="bed_count_one_a_day"),
            models.CheckConstraint(
                condition=models.Q(usable__lte=models.F("beds")), name="bed_count_usable_of_beds"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.valid_from}: {self.usable}/{self.beds}"
