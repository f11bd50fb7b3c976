"""Consent and referrals: a resident's agreement to share, and a referral to another partner.

Nothing about a person passes from one organisation to another without the person's consent
(social-services secrecy, see docs/adr/0012). A consent names what may be shared and with
whom; a referral carries an encrypted copy of exactly that, made when it is sent.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core.models import PublicIdModel
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Household, Person

from .fields import EncryptedJSONField


class ConsentScope(models.TextChoices):
    """The kinds of information a resident may agree to share, and nothing else."""

    NAME_CONTACT = "name_contact", _("Name, date of birth and how to reach them")
    HOUSEHOLD = "household", _("Household composition (ages of the members)")
    LANGUAGES = "languages", _("Languages spoken")
    HEALTH = "health", _("Health-related needs")
    REASON = "reason", _("Reason for the referral, in the staff's own words")


class ExplainedIn(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    OTHER = "other", pgettext_lazy("language", "Other")


def scope_labels(scopes: list[str]) -> list[str]:
    """The scopes' labels in the order of ``ConsentScope``, whatever order they were stored in."""
    return [str(label) for value, label in ConsentScope.choices if value in scopes]


class Consent(PublicIdModel):
    """A resident's consent to share information with other partners of the partnership.

    Recorded by staff of the organisation where the household lives. It is never edited or
    deleted: a withdrawal is recorded on it (from a date, by whom), and a changed scope is a
    new consent. ``person`` empty means the consent covers every member of the household.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="consents"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scopes = models.JSONField(_("may be shared"), default=list)
    any_partner = models.BooleanField(_("with any partner of the partnership"), default=False)
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("with these partners"), blank=True, related_name="+"
    )
    given_on = models.DateField(_("given on"))
    explained_in = models.CharField(_("explained in"), max_length=8, choices=ExplainedIn.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Kept when the household is anonymised (people.retention): the scopes are codes.
    retention_kept: ClassVar[tuple[str, ...]] = ("scopes",)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(explained_in__in=ExplainedIn.values),
                name="consent_explained_in_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | models.Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawal_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.given_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def scope_labels(self) -> list[str]:
        return scope_labels(self.scopes)

    def covers_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def covers_person(self, person: Person) -> bool:
        return person.household_id == self.household_id and self.person_id in (None, person.pk)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral", "Declined")
    DONE = "done", pgettext_lazy("referral", "Done")
    CANCELLED = "cancelled", pgettext_lazy("referral", "Cancelled by the sender")
    CLOSED = "closed", _("Closed: consent withdrawn")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)

# The page's badge for each status, in the classes the style sheet already has.
STATUS_BADGES = {
    ReferralStatus.SENT: "pending",
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.DECLINED: "refused",
    ReferralStatus.DONE: "placed",
    ReferralStatus.CANCELLED: "cancelled",
    ReferralStatus.CLOSED: "cancelled",
}


class Referral(PublicIdModel):
    """A resident referred by the partner where they live to another partner's service.

    ``content`` is the encrypted copy of what the consent allowed, made when it was sent; it
    is emptied (``content_erased_at``) when the consent is withdrawn. ``scopes`` names what
    was shared, never the values, so that both sides still see what the referral was about.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="referrals"
    )
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(
        "addedvalues.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), db_index=True)
    scopes = models.JSONField(_("shared"), default=list)
    content = EncryptedJSONField(_("shared information"))
    content_erased_at = models.DateTimeField(_("shared information erased"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        db_index=True,
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declined by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery = models.OneToOneField(
        "addedvalues.Delivery",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referral",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # What retention clears in the rows about an anonymised household (people.retention).
    retention_cleared: ClassVar[dict[str, Any]] = {"content": {}, "decline_reason": "–"}
    # Kept (people.retention): the scopes are codes.
    retention_kept: ClassVar[tuple[str, ...]] = ("scopes",)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "-sent_at"], name="referral_inbox"),
            models.Index(fields=["from_organisation", "-sent_at"], name="referral_outbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")),
                name="referral_to_another_partner",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReferralStatus.DONE)
                | models.Q(delivery__isnull=False, done_at__isnull=False),
                name="referral_done_has_delivery",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReferralStatus.DECLINED) | ~models.Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation_id} → {self.service}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_erased(self) -> bool:
        return self.content_erased_at is not None

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(ReferralStatus(self.status), "")

    @property
    def scope_labels(self) -> list[str]:
        return scope_labels(self.scopes)

    @property
    def shared(self) -> dict[str, Any]:
        return self.content if isinstance(self.content, dict) else {}
