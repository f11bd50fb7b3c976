import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tillsammans.core.fields import EncryptedBooleanField
from tillsammans.core.lib.bidi import isolate_text, refuse_bidi_controls
from tillsammans.core.lib.dates import ADULT_AGE, age_on
from tillsammans.core.lib.identity import is_coordination_number, mask_swedish_id
from tillsammans.core.lib.names import name_with_spelling
from tillsammans.core.models import PublicIdModel


class AnchorKind(models.TextChoices):
    """What a household should live near; the place itself is kept as a district only."""

    SCHOOL = "school", _("A child's school")
    WORK = "work", _("Work")
    RELATIVES = "relatives", _("Relatives")
    DISTRICT = "district", _("Preferred district")


class Household(PublicIdModel):
    """People who are placed together. Needs here decide which units are possible."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    needs_accessible = models.BooleanField(_("needs an accessible place"), default=False)
    has_pets = models.BooleanField(_("has pets"), default=False)
    # A flag, not a diagnosis: art. 9 data is minimised to what a placement needs.
    medical_priority = EncryptedBooleanField(_("medical priority"))
    anchor_kind = models.CharField(
        _("should live near"), max_length=12, choices=AnchorKind.choices, blank=True
    )
    anchor_district = models.CharField(_("district of the anchor"), max_length=100, blank=True)
    # A child or young person who came without a parent or other guardian: the social
    # services decide where they live, in a licensed home (reception/eligibility.py).
    unaccompanied = models.BooleanField(_("unaccompanied child or young person"), default=False)
    # Retention (``people.retention``): a hold stops the anonymisation five years after the
    # last entry (a complaint, a court case); anonymised_at says it was done.
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("reason for the hold"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    # The audit log names a household by its public id and reads it as its reference of the
    # day, so that an anonymised household's old reference is not left in it (core.models).
    audit_by_public_id: ClassVar[bool] = True

    class Meta:
        ordering = ["reference"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        # The household list shows the newest first.
        indexes = [models.Index(fields=["-created_at", "reference"], name="household_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anchor_kind__in=[*AnchorKind.values, ""]),
                name="household_anchor_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_anchor(self) -> bool:
        return bool(self.anchor_kind and self.anchor_district)

    def needs(self, birth_dates: Iterable[dt.date] = (), on: dt.date | None = None) -> set[str]:
        """Unit features this household must have; with its persons' birth dates and a day,
        also a unit that welcomes children when someone is a child that day."""
        wanted = set()
        if self.needs_accessible:
            wanted.add("accessible")
        if self.has_pets:
            wanted.add("pets_allowed")
        if on is not None and any(age_on(born, on) < ADULT_AGE for born in birth_dates):
            wanted.add("children_ok")
        return wanted


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", pgettext_lazy("sex", "Other")
    UNKNOWN = "unknown", _("Unknown")


NUMBER_CONSTRAINT = "person_swedish_id_unique"  # one person per Swedish identity number


class Person(PublicIdModel):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="persons"
    )
    first_name = models.CharField(
        _("first name as written"), max_length=100, validators=[refuse_bidi_controls]
    )
    last_name = models.CharField(
        _("last name as written"), max_length=100, validators=[refuse_bidi_controls]
    )
    first_name_latin = models.CharField(
        _("first name (passport)"), max_length=100, blank=True, validators=[refuse_bidi_controls]
    )
    last_name_latin = models.CharField(
        _("last name (passport)"), max_length=100, blank=True, validators=[refuse_bidi_controls]
    )
    name_swedish = models.CharField(
        _("Swedish spelling"), max_length=200, blank=True, validators=[refuse_bidi_controls]
    )
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    migration_case_number = models.CharField(
        _("Migrationsverket case number"), max_length=40, blank=True, db_index=True
    )
    permit_card_number = models.CharField(_("permit card number"), max_length=40, blank=True)
    permit_valid_from = models.DateField(_("permit valid from"), null=True, blank=True)
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    swedish_id_number = models.CharField(
        _("Swedish identity number"), max_length=12, blank=True, db_index=True
    )
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    # What the person's legal path says of the reception, kept by the one service that writes
    # path events (``services._follow``; ``refresh_path_summaries`` for bulk writes), so that
    # the state's ledger of a national month reads a date per person, not every event (ADR
    # 30). Without events (``on_path`` false) the path is the allocation list's permit alone.
    on_path = models.BooleanField(default=False, editable=False)
    path_ends_on = models.DateField(null=True, blank=True, editable=False)
    path_ends_because = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        ordering = ["last_name_latin", "first_name_latin", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permit_valid_until__isnull=True)
                | models.Q(permit_valid_from__isnull=True)
                | models.Q(permit_valid_until__gte=models.F("permit_valid_from")),
                name="person_permit_dates_ordered",
            ),
            # One person per number: the state's payment files, registrations and searches
            # find a person by it. The services refuse a taken number with a message first.
            models.UniqueConstraint(
                fields=["swedish_id_number"],
                condition=~models.Q(swedish_id_number=""),
                name=NUMBER_CONSTRAINT,
                violation_error_message=_(
                    "That Swedish identity number is already recorded for another person."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    # The audit log names a person by their household, never by their name: the log is read by
    # the coordinators and the data protection officer, and in a register extract of another
    # member of the household (core.models, ``audit_by_public_id``).
    audit_by_public_id: ClassVar[bool] = True
    audit_name_related: ClassVar[tuple[str, ...]] = ("household",)

    def audit_name(self) -> str:
        return gettext("person in %(household)s") % {"household": self.household.reference}

    def clean(self) -> None:
        if (
            self.permit_valid_from
            and self.permit_valid_until
            and self.permit_valid_until < self.permit_valid_from
        ):
            raise ValidationError(
                {"permit_valid_until": _("The permit cannot end before it starts.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("person_path", args=[self.public_id])

    @property
    def written_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def latin_name(self) -> str:
        return f"{self.first_name_latin} {self.last_name_latin}".strip()

    @property
    def display_name(self) -> str:
        """The one way a name is shown as plain text: as written, then the passport spelling
        in parentheses when there is one that differs ("Оксана Мельник (Oksana Melnyk)",
        never "Оксана Мельник ()"). Pages use the ``person_name`` filter, which shows the
        same with each part isolated."""
        return name_with_spelling(isolate_text(self.written_name), isolate_text(self.latin_name))

    @property
    def name_and_birth_year(self) -> str:
        """How a person is offered in a list to choose from."""
        return f"{self.display_name}, {self.birth_date:%Y}"

    @property
    def masked_swedish_id(self) -> str:
        return mask_swedish_id(self.swedish_id_number)

    @property
    def swedish_id_kind(self) -> str:
        if not self.swedish_id_number:
            return ""
        if is_coordination_number(self.swedish_id_number):
            return str(_("coordination number"))
        return str(_("personal identity number"))


class PersonNameKey(models.Model):
    """Search keys of a person's names: each name word folded to its phonetic skeleton.

    A query word is matched by looking up all words one edit from it in this index, on
    SQLite and PostgreSQL alike (see ``people/search.py``).
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="name_keys", db_index=False
    )
    key = models.CharField(max_length=60, db_index=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="person_name_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class PathEventKind(models.TextChoices):
    """What happens on a person's legal path after the allocation (ADR 30). Allocated, moved
    in and moved out are the reception's own records and are read from there."""

    PERMIT_GRANTED = "permit_granted", _("Residence permit granted")
    EXTENSION_APPLIED = "extension_applied", _("Extension applied for")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    REGISTERED = "registered", _("Entered in the population register")
    SETTLEMENT = "settlement", _("Settlement allocation")
    LEFT = "left", _("Left the municipality")
    REVOKED = "revoked", _("Permit revoked")
    NEVER_ARRIVED = "never_arrived", _("Allocated but never arrived")


PERMIT_KINDS = (PathEventKind.PERMIT_GRANTED, PathEventKind.EXTENSION_GRANTED)


class PathEventQuerySet(models.QuerySet["PathEvent"]):
    def standing(self) -> "PathEventQuerySet":
        """The events as they stand: neither corrected by a later one nor withdrawn."""
        return self.filter(correction__isnull=True, withdrawn=False)


class PathEvent(PublicIdModel):
    """One dated event of a person's legal path. Never edited: a correction is a new event
    that names the one it replaces (``corrects``), or withdraws it."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="path_events", verbose_name=_("person")
    )
    kind = models.CharField(_("event"), max_length=20, choices=PathEventKind.choices)
    on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    identity_number = models.CharField(_("personal identity number"), max_length=12, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction",
        verbose_name=_("corrects"),
    )  # fmt: skip
    withdrawn = models.BooleanField(_("recorded in error"), default=False)
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)  # an imported file's name

    objects = PathEventQuerySet.as_manager()

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {
        "identity_number": "ANONYMISERAD",
        "reference": "",
        "note": "",
        "source": "",
    }

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("event of the legal path")
        verbose_name_plural = _("events of the legal path")
        indexes = [models.Index(fields=["person", "on"], name="path_event_person_on")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PathEventKind.values), name="path_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("on")),
                name="path_event_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn=False) | models.Q(corrects__isnull=False),
                name="path_event_withdraws_an_event",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn=True)
                | ~models.Q(kind__in=PERMIT_KINDS)
                | models.Q(valid_until__isnull=False),
                name="path_event_permit_has_an_end",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn=True)
                | ~models.Q(kind=PathEventKind.REGISTERED)
                | ~models.Q(identity_number=""),
                name="path_event_registration_has_a_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"
