"""Jobbstart: job seekers followed by a coach all the way to a job, employers and openings.

A job seeker is the coaching organisation's own case: it is seen by that organisation's
staff and the city's coordinator, whatever partner the resident lives with (docs/adr/0016).
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.lib.geo import DISTRICTS
from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Person

DISTRICT_CHOICES = [(name, name) for name in DISTRICTS]


class Occupation(models.Model):
    """SSYK 2012, the Swedish occupation classification: 429 four-digit unit groups."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} {self.name_sv}"


class Programme(TimeStampedModel):
    """An organisation running Jobbstart; its partner staff and admins are the coaches."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="job_programme",
    )
    name = models.CharField(pgettext_lazy("programme", "name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("job programme")
        verbose_name_plural = _("job programmes")

    def __str__(self) -> str:
        return self.name


StrOrPromise = str | Promise


class Level(models.IntegerChoices):
    NONE = 0, pgettext_lazy("language level", "None")
    BASIC = 1, pgettext_lazy("language level", "Basic")
    GOOD = 2, pgettext_lazy("language level", "Good")
    FLUENT = 3, pgettext_lazy("language level", "Fluent")
    # Most job seekers speak Ukrainian or Russian as their first language, which no level
    # of a learnt language describes.
    NATIVE = 4, pgettext_lazy("language level", "Native language")


# An opening asks for a level a learnt language reaches; "native speakers only" is not a
# requirement the programme takes from an employer.
REQUIRED_LEVELS = [(value, label) for value, label in Level.choices if value != Level.NATIVE]


# The languages a profile and an opening's requirements name, as (field suffix, label).
LANGUAGES = (
    ("swedish", _("Swedish")),
    ("english", _("English")),
    ("ukrainian", _("Ukrainian")),
    ("russian", _("Russian")),
)


class Education(models.TextChoices):
    NONE = "none", _("No completed schooling")
    PRIMARY = "primary", _("Compulsory school")
    SECONDARY = "secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    UNIVERSITY = "university", _("University or college")


class ExplainedIn(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    OTHER = "other", pgettext_lazy("language", "Other")


class Stage(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    CV_READY = "cv_ready", _("CV ready")
    PROPOSED = "proposed", _("Proposed to an employer")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    EMPLOYED = "employed", _("Employed")
    ENDED = "ended", pgettext_lazy("job seeker", "Ended")


ACTIVE_STAGES = (Stage.ENROLLED, Stage.CV_READY, Stage.PROPOSED, Stage.INTERVIEW, Stage.OFFER)

# The steps a coach may take from each stage. "Proposed" is reached by proposing the seeker
# for an opening (a proposal is recorded), never by a bare stage change; an interview or an
# offer that comes to nothing goes back to "CV ready".
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.ENROLLED: (Stage.CV_READY, Stage.ENDED),
    Stage.CV_READY: (Stage.ENDED,),
    Stage.PROPOSED: (Stage.INTERVIEW, Stage.CV_READY, Stage.ENDED),
    Stage.INTERVIEW: (Stage.OFFER, Stage.CV_READY, Stage.ENDED),
    Stage.OFFER: (Stage.EMPLOYED, Stage.CV_READY, Stage.ENDED),
    Stage.EMPLOYED: (Stage.ENDED,),
    Stage.ENDED: (),
}


class EndReason(models.TextChoices):
    STILL_IN_WORK = "still_in_work", _("Follow-up complete, still in work")
    JOB_ENDED = "job_ended", _("The job ended")
    STUDIES = "studies", _("Started studies")
    MOVED = "moved", _("Moved away")
    RETURNED = "returned", _("Returned to Ukraine")
    HEALTH = "health", _("Health")
    NO_CONTACT = "no_contact", _("No longer in contact")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    OTHER = "other", pgettext_lazy("reason for ending", "Other")


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed term")
    HOURLY = "hourly", _("Hourly, as needed")
    SUBSIDISED = "subsidised", _("Subsidised (e.g. new-start job)")
    SEASONAL = "seasonal", _("Seasonal")


class JobSeeker(PublicIdModel):
    """A resident enrolled in Jobbstart by a coach, with consent recorded at enrolment."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coaching organisation"),
        on_delete=models.PROTECT,
        related_name="job_seekers",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="job_seekers"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enrolled_on = models.DateField(_("enrolled on"), db_index=True)
    # The enrolment's own consent: to the coaching organisation keeping this profile and
    # showing the CV to the employers the seeker is proposed to (docs/adr/0016).
    consent_given_on = models.DateField(_("consent given on"))
    consent_explained_in = models.CharField(
        _("consent explained in"), max_length=8, choices=ExplainedIn.choices
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)

    wanted_occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation wanted"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation held before"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Two-digit SSYK groups, kept for the matching's indexed prefilter.
    # The occupations' major groups (SSYK's first two digits), kept for the figures.
    wanted_group = models.CharField(_("wanted occupation's group"), max_length=2, editable=False)
    previous_group = models.CharField(
        _("previous occupation's group"), max_length=2, blank=True, editable=False
    )
    education = models.CharField(_("education"), max_length=12, choices=Education.choices)
    education_note = models.CharField(_("education, in words"), max_length=300, blank=True)
    experience = models.TextField(_("work experience"), blank=True)
    swedish = models.PositiveSmallIntegerField(_("Swedish"), choices=Level.choices, default=0)
    english = models.PositiveSmallIntegerField(_("English"), choices=Level.choices, default=0)
    ukrainian = models.PositiveSmallIntegerField(_("Ukrainian"), choices=Level.choices, default=0)
    russian = models.PositiveSmallIntegerField(_("Russian"), choices=Level.choices, default=0)
    driving_licence = models.BooleanField(_("driving licence (B)"), default=False)
    available_from = models.DateField(_("available from"))
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    home_district = models.CharField(
        _("lives in district"), max_length=40, choices=DISTRICT_CHOICES
    )
    max_travel_km = models.PositiveSmallIntegerField(_("travels at most (km)"))

    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.ENROLLED
    )
    stage_changed_on = models.DateField(_("stage since"))
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"education_note": "", "experience": ""}

    # Kept when the household is anonymised (people.retention): occupation codes, for the figures.
    retention_kept: ClassVar[tuple[str, ...]] = ("wanted_group", "previous_group")

    class Meta:
        ordering = ["-enrolled_on", "id"]
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        indexes = [
            models.Index(fields=["organisation", "stage"], name="jobseeker_board"),
            models.Index(fields=["wanted_group", "stage"], name="jobseeker_wanted_group"),
            models.Index(fields=["previous_group", "stage"], name="jobseeker_previous_group"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="jobseeker_stage_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=Stage.ENDED) | ~models.Q(end_reason=""),
                name="jobseeker_ended_has_reason",
            ),
            # A resident is in one enrolment at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=~models.Q(stage=Stage.ENDED),
                name="jobseeker_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    @property
    def next_stages(self) -> tuple[str, ...]:
        return TRANSITIONS[self.stage]

    def level(self, language: str) -> int:
        return int(getattr(self, language))

    def languages_spoken(self) -> list[tuple[StrOrPromise, StrOrPromise]]:
        """The languages the job seeker speaks, as (language, level) in words, translated
        where they are shown (the CV is always Swedish): a language at level "none" is not
        one of them, so a profile never reads "Ukrainian: none"."""
        return [
            (label, Level(self.level(name)).label)
            for name, label in LANGUAGES
            if self.level(name) > Level.NONE
        ]


class Employer(PublicIdModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coaching organisation"),
        on_delete=models.PROTECT,
        related_name="employers",
    )
    name = models.CharField(pgettext_lazy("employer", "name"), max_length=200)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    district = models.CharField(_("district"), max_length=40, choices=DISTRICT_CHOICES, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class EmployerContact(PublicIdModel):
    """A contact person at an employer: only what it takes to reach them."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["employer", "name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self) -> str:
        return self.name


class Opening(PublicIdModel):
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="openings"
    )
    # The employer's coaching organisation, kept here for the matching's indexed prefilter.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(max_length=2, editable=False)
    district = models.CharField(_("district"), max_length=40, choices=DISTRICT_CHOICES)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    starts_on = models.DateField(_("starts on"))
    driving_licence = models.BooleanField(_("driving licence (B) required"), default=False)
    swedish = models.PositiveSmallIntegerField(
        _("Swedish, at least"), choices=REQUIRED_LEVELS, default=0
    )
    english = models.PositiveSmallIntegerField(
        _("English, at least"), choices=REQUIRED_LEVELS, default=0
    )
    ukrainian = models.PositiveSmallIntegerField(
        _("Ukrainian, at least"), choices=REQUIRED_LEVELS, default=0
    )
    russian = models.PositiveSmallIntegerField(
        _("Russian, at least"), choices=REQUIRED_LEVELS, default=0
    )
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        indexes = [
            models.Index(fields=["organisation", "is_open", "group"], name="opening_matching"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"

    def level(self, language: str) -> int:
        return int(getattr(self, language))


class Proposal(PublicIdModel):
    """The coach proposed a job seeker to the employer for one opening."""

    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("job seeker"), on_delete=models.PROTECT, related_name="proposals"
    )
    opening = models.ForeignKey(
        Opening, verbose_name=_("opening"), on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("match score"), default=0)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["seeker", "opening"], name="proposal_once_per_opening")
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} → {self.opening_id}"


class StageChange(TimeStampedModel):
    """The pipeline's history: every stage a job seeker entered, on which day, by whom."""

    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE,
        related_name="stage_changes",
    )  # fmt: skip
    from_stage = models.CharField(_("from stage"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=10, choices=Stage.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["seeker", "on", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage} {self.on}"


class Employment(PublicIdModel):
    """The job a seeker got; ``ended_on`` empty while they are still in it."""

    seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    opening = models.ForeignKey(
        Opening, verbose_name=_("opening"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    employment_type = models.CharField(
        _("employment type"), max_length=12, choices=EmploymentType.choices
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    starts_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("starts_on")),
                name="employment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.starts_on}"


class FollowUp(TimeStampedModel):
    """A coach's contact with the job seeker on the way: a date and a note."""

    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"note": "Anonymiserad"}

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.on}"
