from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.housing.models import Bed, Site, Unit
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household, Person


class AllocationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PLACED = "placed", _("Placed")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
    # Nobody of the household moved in (issue 14): no night and no one-time amount is owed.
    NEVER_ARRIVED = "never_arrived", _("Never arrived")


class ImportBatch(TimeStampedModel):
    """One committed allocation file, so its rows can be traced to the upload."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"))
    households = models.PositiveIntegerField(_("households"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name


class Allocation(PublicIdModel):
    """An allocation (anvisning) of a household to the municipality by Migrationsverket."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="allocations"
    )
    reference = models.CharField(_("allocation reference"), max_length=40, unique=True)
    allocated_on = models.DateField(_("allocated on"), db_index=True)
    expected_arrival = models.DateField(_("expected arrival"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AllocationStatus.choices,
        default=AllocationStatus.PENDING,
        db_index=True,
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("imported list"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="allocations",
    )  # fmt: skip

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"status_reason": ""}

    # Kept when the household is anonymised (people.retention):
    # the state's reference, unique, which the import's checks need.
    retention_kept: ClassVar[tuple[str, ...]] = ("reference",)

    class Meta:
        ordering = ["-allocated_on", "reference"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AllocationStatus.values),
                name="allocation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(expected_arrival__isnull=True)
                | models.Q(expected_arrival__gte=models.F("allocated_on")),
                name="allocation_arrival_after_allocation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ExitReason(models.TextChoices):
    OWN_HOUSING = "own_housing", _("Own housing")
    OTHER_MUNICIPALITY = "other_municipality", _("Another municipality")
    RETURNED = "returned", _("Returned to Ukraine")
    OTHER = "other", pgettext_lazy("reason for leaving", "Other")
    MOVED = "moved", _("Moved to another unit")


class Stay(PublicIdModel):
    """A household living in a unit from a date, until a date (the move-out, exclusive)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="stays"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="stays"
    )
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="stays",
    )  # fmt: skip
    started_on = models.DateField(_("moved in"), db_index=True)
    ended_on = models.DateField(_("moved out"), null=True, blank=True, db_index=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=ExitReason.choices, blank=True
    )
    # When the end was recorded, not the day it took effect: partner staff may take back a
    # move-out for a while after recording it, whatever date it was given (ADR 19).
    ended_recorded_at = models.DateTimeField(_("move-out recorded"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="stay_dates_ordered",
            ),
            # A household lives in one place at a time.
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(ended_on__isnull=True),
                name="stay_one_open_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} @ {self.unit}"


class MoveOutCorrection(TimeStampedModel):
    """A move-out recorded by mistake and taken back (ADR 19).

    The stay is open again; what had been recorded stays here, so the household's history
    shows the move-out and its correction side by side, and the audit log has both events.
    """

    stay = models.ForeignKey(
        Stay, verbose_name=_("stay"), on_delete=models.PROTECT, related_name="move_out_corrections"
    )
    moved_out_on = models.DateField(_("move-out date that was recorded"))
    exit_reason = models.CharField(
        _("reason that was recorded"), max_length=20, choices=ExitReason.choices
    )
    recorded_at = models.DateTimeField(_("move-out recorded"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("why the move-out was wrong"), max_length=300)

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"note": "Anonymiserad"}

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("move-out correction")
        verbose_name_plural = _("move-out corrections")

    def __str__(self) -> str:
        return f"{self.stay_id} {self.moved_out_on.isoformat()}"


class Occupancy(TimeStampedModel):
    """One person in one bed for the length of a stay: the ledger that counts nights.

    The partial unique index on open occupancies is the database's own guarantee against
    double booking: a bed cannot hold two people, whatever the application does.
    """

    stay = models.ForeignKey(
        Stay, verbose_name=_("stay"), on_delete=models.CASCADE, related_name="occupancies"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="occupancies"
    )
    bed = models.ForeignKey(
        Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="occupancies"
    )
    started_on = models.DateField(_("from"), db_index=True)
    ended_on = models.DateField(_("until"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(ended_on__isnull=True),
                name="occupancy_one_open_per_bed",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="occupancy_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="occupancy_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.bed_id}"


class PendingImport(PublicIdModel):
    """An uploaded allocation file between its preview and the coordinator's commit.

    The bytes are kept Fernet-encrypted, because the file carries the medical-priority flag
    (GDPR art. 9), and only until the commit or the expiry. The commit parses them again,
    so what is imported is what the database allows at that moment, not at the preview.
    ``batch`` is set by the commit, which is what makes a second commit a no-op.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(editable=False)
    # A long file is checked by the worker; what its preview page shows is kept here as
    # encrypted JSON (``imports.PreviewSummary``), so that the page need not read it again.
    summary = models.BinaryField(default=b"", editable=False)
    # The columns holding Fernet tokens as bytes, for the key rotation (``core.keys``).
    encrypted_bytes: ClassVar[tuple[str, ...]] = ("data", "summary")
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    batch = models.OneToOneField(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self) -> str:
        return self.file_name


# -- what a host-home programme tells the placement rule (eligibility.py) ------------------
#
# Hjärterum (the hosting app) sits above reception, so reception cannot ask it who may live
# in a host home. These rows are what the programme's services write for reception to read:
# the one placement rule then decides without importing the programme.


class HostHomeProgramme(TimeStampedModel):
    """An organisation that runs host homes as a programme: a host-home unit of its own
    takes no one until a host is registered for it."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("host-home programme (placement rule)")
        verbose_name_plural = _("host-home programmes (placement rule)")

    def __str__(self) -> str:
        return str(self.organisation)


class HostHome(TimeStampedModel):
    """A registered host's home as the placement rule reads it: whether the home is vetted,
    and the period the host offers it (from ``available_from`` until ``available_until``,
    exclusive). It takes only the households of its ``guests``."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="host_home"
    )
    vetted = models.BooleanField(_("vetted"), default=False)
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)

    class Meta:
        ordering = ["unit"]
        verbose_name = _("host home (placement rule)")
        verbose_name_plural = _("host homes (placement rule)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_until__gt=models.F("available_from")),
                name="host_home_available_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.unit_id)


class HostHomeGuest(TimeStampedModel):
    """A household a host home takes, from ``starts_on`` until ``ends_on`` (exclusive): the
    sublet agreement signed by host, organisation and guests. ``agreement`` is the public id
    of the programme's own record of it; an ended agreement takes no one."""

    home = models.ForeignKey(
        HostHome, verbose_name=_("host home"), on_delete=models.CASCADE, related_name="guests"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.UUIDField(_("agreement"), unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["home", "starts_on", "id"]
        verbose_name = _("host home's guest (placement rule)")
        verbose_name_plural = _("host homes' guests (placement rule)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="host_home_guest_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.home_id} ← {self.household_id}"


# -- what the social services tell the placement rule (eligibility.py) ----------------------


class PlacementDecision(PublicIdModel):
    """The case worker's decision that an unaccompanied child or young person lives in a home
    for children (an HVB home, supported housing or a family home), from a day to a day. No
    one is placed in such a home without one; a decision that continues after 18 lets a young
    adult stay. Written by the social services (the minors app); read by the rule."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT,
        related_name="placement_decisions",
    )  # fmt: skip
    site = models.ForeignKey(
        Site, verbose_name=_("home"), on_delete=models.PROTECT, related_name="placement_decisions"
    )
    reference = models.CharField(_("decision reference"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"))
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(
        _("to"), null=True, blank=True, help_text=_("The last day. Empty until further notice.")
    )
    continued_after_18 = models.BooleanField(_("the placement continues after 18"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # A decision recorded in error is withdrawn, never deleted: the rule ignores it, the case
    # shows it struck through with the reason.
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why it was withdrawn"), max_length=500, blank=True)

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"reference": "", "withdrawn_reason": ""}

    class Meta:
        ordering = ["household", "-valid_from", "id"]
        verbose_name = _("placement decision")
        verbose_name_plural = _("placement decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="placement_decision_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(self.public_id)
