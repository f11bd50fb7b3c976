"""An unaccompanied child's case with the social services (seeds 003 and 004).

The child is a ``people.Person`` of a household marked unaccompanied; the case holds what the
social services know and decide: the date of birth as the Migration Agency assessed and
revised it, the asylum status over time, the guardians appointed by the chief guardian's
office, and the case worker who holds the case. Placement decisions are
``reception.PlacementDecision`` rows (the placement rule reads them), written through this
app's services.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillsammans.core.models import PublicIdModel
from tillsammans.people.models import Person
from tillsammans.training.models import Volunteer


class AfterEighteen(models.TextChoices):
    CONTINUE = "continue", _("The placement continues")
    SUPPORTED = "supported", _("Moves to supported housing")
    OWN_HOUSING = "own_housing", _("Moves to own housing")


class ChildCase(PublicIdModel):
    person = models.OneToOneField(
        Person, verbose_name=_("child"), on_delete=models.PROTECT, related_name="child_case"
    )
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("case worker"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="child_cases",
    )  # fmt: skip
    opened_on = models.DateField(_("case opened on"))
    closed_on = models.DateField(_("case closed on"), null=True, blank=True)
    # What the social services decided for the day the young person turns 18 (the work list
    # of those turning 18 shows the ones without a decision).
    after_18 = models.CharField(
        _("after 18"), max_length=12, choices=AfterEighteen.choices, blank=True
    )
    after_18_decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["person__last_name_latin", "person__first_name_latin", "id"]
        verbose_name = _("child's case")
        verbose_name_plural = _("children's cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="child_case_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.public_id])


class BirthDateBasis(models.TextChoices):
    STATED = "stated", _("as the child stated it")
    ASSESSED = "assessed", _("assessed by the Migration Agency")
    REVISED = "revised", _("revised by the Migration Agency")


class BirthDateRecord(PublicIdModel):
    """One date of birth of the child and where it comes from. The latest by the day it was
    decided is the person's date of birth; the earlier ones stay as its history."""

    case = models.ForeignKey(
        ChildCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="birth_dates"
    )
    birth_date = models.DateField(_("date of birth"))
    basis = models.CharField(_("basis"), max_length=12, choices=BirthDateBasis.choices)
    decided_on = models.DateField(_("stated or decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["case", "decided_on", "id"]
        verbose_name = _("date of birth")
        verbose_name_plural = _("dates of birth")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(basis__in=BirthDateBasis.values),
                name="birth_date_record_basis_valid",
            )
        ]

    def __str__(self) -> str:
        return self.birth_date.isoformat()


class AsylumStatusKind(models.TextChoices):
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    TEMPORARY_PERMIT = "temporary_permit", _("Temporary residence permit")
    PERMANENT_PERMIT = "permanent_permit", _("Permanent residence permit")
    REFUSED = "refused", _("Refused asylum")


class AsylumStatus(PublicIdModel):
    """The child's status from a day: a new status ends the one before it."""

    case = models.ForeignKey(
        ChildCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=20, choices=AsylumStatusKind.choices)
    valid_from = models.DateField(_("from"))
    permit_valid_to = models.DateField(_("permit valid to"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["case", "valid_from", "id"]
        verbose_name = _("asylum status")
        verbose_name_plural = _("asylum statuses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permit_valid_to__isnull=True)
                | models.Q(permit_valid_to__gte=models.F("valid_from")),
                name="asylum_status_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AsylumStatusKind.values),
                name="asylum_status_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class GuardianKind(models.TextChoices):
    GOD_MAN = "god_man", _("Guardian (god man)")
    CUSTODIAN = "custodian", _("Specially appointed custodian (särskilt förordnad vårdnadshavare)")


class GuardianAppointment(PublicIdModel):
    """A guardian appointed by the chief guardian's office (överförmyndaren), from a day to a
    day. The guardian is a private person outside the partnership, not a user."""

    case = models.ForeignKey(
        ChildCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="guardians"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=GuardianKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("appointment ended on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    # Kept when the household is anonymised (people.retention): a child's case is kept whole.
    retention_kept: ClassVar[tuple[str, ...]] = ("name", "phone", "email")

    class Meta:
        ordering = ["case", "-appointed_on", "id"]
        verbose_name = _("guardian appointment")
        verbose_name_plural = _("guardian appointments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("appointed_on")),
                name="guardian_appointment_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=GuardianKind.values), name="guardian_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VolunteerKind(models.TextChoices):
    CONTACT_FAMILY = "contact_family", _("Contact family")
    LEISURE = "leisure", _("Leisure volunteer")
    MENTOR = "mentor", _("Mentor (fadder)")


class ChildVolunteer(PublicIdModel):
    """A volunteer of a partner (``training.Volunteer``, known by first name or alias) who
    works with children as a contact family, leisure volunteer or mentor. Before anyone is
    linked to a child, the organisation records that it has seen an extract from the
    criminal records for work with children and the day it was issued; its content is never
    stored."""

    volunteer = models.OneToOneField(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT,
        related_name="with_children",
    )  # fmt: skip
    kind = models.CharField(
        _("works with children as"), max_length=16, choices=VolunteerKind.choices
    )
    record_issued_on = models.DateField(_("criminal-record extract issued on"))
    record_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("extract seen by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["volunteer", "id"]
        verbose_name = _("volunteer working with children")
        verbose_name_plural = _("volunteers working with children")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=VolunteerKind.values), name="child_volunteer_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return str(self.volunteer)


class VolunteerLink(PublicIdModel):
    """A volunteer linked to a child, with the child's and the guardian's agreement."""

    volunteer = models.ForeignKey(
        ChildVolunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT,
        related_name="links",
    )  # fmt: skip
    case = models.ForeignKey(
        ChildCase, verbose_name=_("child"), on_delete=models.PROTECT, related_name="links"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    child_agreed_on = models.DateField(_("the child agreed on"))
    guardian_agreed_on = models.DateField(_("the guardian agreed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["case", "-starts_on", "id"]
        verbose_name = _("volunteer's link to a child")
        verbose_name_plural = _("volunteers' links to children")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="volunteer_link_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class PlanArea(models.TextChoices):
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health")
    LEISURE = "leisure", _("Leisure")
    FAMILY = "family", _("Family")
    LANGUAGE = "language", _("Language")


class PlanGoal(PublicIdModel):
    """One goal of the child's implementation plan (genomförandeplan), in one area, with the
    day it is to be followed up and, once it has been, how it went. Written and read by the
    case worker and the home that houses the child, by no one else."""

    case = models.ForeignKey(
        ChildCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="plan"
    )
    area = models.CharField(_("area"), max_length=12, choices=PlanArea.choices)
    goal = models.TextField(_("goal"), max_length=2000)
    follow_up_on = models.DateField(_("to be followed up on"))
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    outcome = models.TextField(_("how it went"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    # Kept when the household is anonymised (people.retention): a child's case is kept whole.
    retention_kept: ClassVar[tuple[str, ...]] = ("goal", "outcome")

    class Meta:
        ordering = ["case", "area", "follow_up_on", "id"]
        verbose_name = _("goal of the implementation plan")
        verbose_name_plural = _("goals of the implementation plan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__in=PlanArea.values), name="plan_goal_area_valid"
            )
        ]

    def __str__(self) -> str:
        return self.get_area_display()


class SummerPlace(PublicIdModel):
    """A summer internship place that the partnership's summer coordinator found at a
    workplace (seed 004: "a summer coordinator who has hunted internship places since
    April"), under the catalogue's service that offers the internships."""

    service = models.ForeignKey(
        "addedvalues.Service", verbose_name=_("service"), on_delete=models.PROTECT,
        related_name="summer_places",
    )  # fmt: skip
    employer = models.CharField(_("workplace"), max_length=200)
    tasks = models.CharField(_("tasks"), max_length=300, blank=True)
    area = models.CharField(_("district"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    min_age = models.PositiveSmallIntegerField(_("from the age of"), default=13)
    contact = models.CharField(_("contact at the workplace"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-starts_on", "employer", "id"]
        verbose_name = _("summer internship place")
        verbose_name_plural = _("summer internship places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="summer_place_dates_ordered",
            ),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="summer_place_places"),
        ]

    def __str__(self) -> str:
        return self.employer


class ServiceEnrolment(PublicIdModel):
    """A child takes part in a service of the catalogue (homework help, work training,
    psychologist support, a summer internship at one of the summer places), with the
    guardian's agreement. The service's organisation then sees the child (name and age) and
    records the sessions as deliveries."""

    case = models.ForeignKey(
        ChildCase, verbose_name=_("child"), on_delete=models.PROTECT, related_name="enrolments"
    )
    service = models.ForeignKey(
        "addedvalues.Service", verbose_name=_("service"), on_delete=models.PROTECT,
        related_name="child_enrolments",
    )  # fmt: skip
    summer_place = models.ForeignKey(
        SummerPlace, verbose_name=_("summer internship place"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="enrolments",
    )  # fmt: skip
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    guardian_agreed_on = models.DateField(_("the guardian agreed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["case", "-starts_on", "id"]
        verbose_name = _("child's place in a service")
        verbose_name_plural = _("children's places in services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="service_enrolment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    SIBLING = "sibling", _("Sister or brother")
    OTHER = "other", _("Other relative")


class ReunificationStep(models.TextChoices):
    TRACING_REQUESTED = "tracing_requested", _("Tracing request sent")
    RELATIVE_FOUND = "relative_found", _("Relative found")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    GRANTED = "granted", _("Residence permits granted")
    REFUSED = "refused", _("Application refused")
    APPEALED = "appealed", _("Refusal appealed")
    FAMILY_ARRIVED = "family_arrived", _("The family arrived")
    CLOSED = "closed", _("Closed")


class Reunification(PublicIdModel):
    """Help with a child's family reunification (seed 003: "support in the family
    reunification process"): the relatives sought, and the steps as dated events: the
    tracing request (to the Red Cross tracing service, say), relatives found, the application
    to the Migration Agency and its outcome. Seen and written by the child's case worker and
    home and by the organisation that helps."""

    case = models.ForeignKey(
        ChildCase, verbose_name=_("child"), on_delete=models.PROTECT,
        related_name="reunifications",
    )  # fmt: skip
    helped_by = models.ForeignKey(
        "partnership.Organisation", verbose_name=_("helped by"), on_delete=models.PROTECT,
        related_name="reunifications",
    )  # fmt: skip
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["case", "-opened_on", "id"]
        verbose_name = _("family reunification")
        verbose_name_plural = _("family reunifications")

    def __str__(self) -> str:
        return str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("reunification_detail", args=[self.public_id])


class ReunificationRelative(PublicIdModel):
    reunification = models.ForeignKey(
        Reunification, verbose_name=_("family reunification"), on_delete=models.CASCADE,
        related_name="relatives",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    last_known_place = models.CharField(_("last known place"), max_length=200, blank=True)

    class Meta:
        ordering = ["reunification", "id"]
        verbose_name = _("relative sought")
        verbose_name_plural = _("relatives sought")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relation__in=Relation.values), name="relative_relation_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReunificationEvent(PublicIdModel):
    """One dated step. Steps are never edited: a correction is a new step with a note."""

    reunification = models.ForeignKey(
        Reunification, verbose_name=_("family reunification"), on_delete=models.CASCADE,
        related_name="events",
    )  # fmt: skip
    step = models.CharField(_("step"), max_length=24, choices=ReunificationStep.choices)
    on = models.DateField(_("date"))
    relative = models.ForeignKey(
        ReunificationRelative, verbose_name=_("relative"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="events",
    )  # fmt: skip
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["reunification", "on", "id"]
        verbose_name = _("step of a family reunification")
        verbose_name_plural = _("steps of family reunifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__in=ReunificationStep.values),
                name="reunification_step_valid",
            )
        ]

    def __str__(self) -> str:
        return self.get_step_display()
