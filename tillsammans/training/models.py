"""Joint trainings for staff of all partners, and each partner's volunteers.

Trainings (seeds 000 and 004): Ukrainian culture, trafficking, labour exploitation, civic
orientation; for those working with minors, trauma and asylum law. Attendance is counted per
organisation; naming the platform's users who attended is optional.

Volunteers are people too, so only what the partnership needs is kept: a first name or an
alias, what they help with, and their hours per month (a partner's own contribution in its
monthly report).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.partnership.models import Organisation


class TrainingTopic(models.TextChoices):
    UKRAINIAN_CULTURE = "ukrainian_culture", _("Ukrainian culture")
    TRAFFICKING = "trafficking", _("Trafficking")
    LABOUR_EXPLOITATION = "labour_exploitation", _("Labour exploitation")
    CIVIC_ORIENTATION = "civic_orientation", _("Civic orientation")
    TRAUMA = "trauma", _("Trauma")
    ASYLUM_LAW = "asylum_law", _("Asylum law for minors")
    OTHER = "other", pgettext_lazy("topic", "Other")


class TrainingSession(PublicIdModel):
    title = models.CharField(pgettext_lazy("training", "title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=24, choices=TrainingTopic.choices)
    held_on = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="trainings_organised",
    )
    description = models.TextField(_("description"), blank=True)
    max_seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "title", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__in=TrainingTopic.values), name="training_topic_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(max_seats__isnull=True) | models.Q(max_seats__gt=0),
                name="training_seats_gt_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class Attendance(TimeStampedModel):
    """How many of one organisation's staff attended a session; optionally who."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    staff_count = models.PositiveIntegerField(_("staff attending"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named attendees"),
        blank=True,
        related_name="trainings_attended",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session", "organisation__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="attendance_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.organisation} {self.staff_count}"


class Volunteer(PublicIdModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    alias = models.CharField(
        _("first name or alias"),
        max_length=60,
        help_text=_("Only a first name or an alias: no surname, no contact details."),
    )
    helps_with = models.CharField(_("helps with"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "alias", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.alias


class VolunteerHours(TimeStampedModel):
    """A volunteer's hours in one month; ``month`` is always the first day of the month.

    The organisation is kept on the row (it is the volunteer's) so the monthly sum per
    partner is one indexed query without a join.
    """

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="hours"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", editable=False
    )
    month = models.DateField(_("month"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "volunteer"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        indexes = [models.Index(fields=["organisation", "month"], name="volunteer_hours_org_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "month"], name="volunteer_hours_one_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="volunteer_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="volunteer_hours_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.month:%Y-%m}: {self.hours}"
