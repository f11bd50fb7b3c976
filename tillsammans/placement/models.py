import math
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tillsammans.core.lib.languages import language_names
from tillsammans.core.models import PublicIdModel, TimeStampedModel
from tillsammans.housing.models import Site, Unit, feature_label
from tillsammans.people.models import AnchorKind, Household
from tillsammans.reception.error_codes import ReceptionErrorCode
from tillsammans.reception.models import Allocation, Stay

from . import fit

MAX_WEIGHT = 10


class FitWeights(TimeStampedModel):
    """How much each part of the fit counts: one row for the partnership (id 1)."""

    SINGLETON_ID = 1

    distance = models.PositiveSmallIntegerField(
        _("distance to the anchor"),
        default=fit.Weights.distance,
        validators=[MaxValueValidator(MAX_WEIGHT)],
        help_text=_("Near a child's school, a job, relatives or a preferred district."),
    )
    language = models.PositiveSmallIntegerField(
        _("language shared with a host"),
        default=fit.Weights.language,
        validators=[MaxValueValidator(MAX_WEIGHT)],
        help_text=_("In a host home: someone in the household speaks a language of the hosts."),
    )
    food = models.PositiveSmallIntegerField(
        _("food service for elderly people"),
        default=fit.Weights.food,
        validators=[MaxValueValidator(MAX_WEIGHT)],
        help_text=_("A household with someone aged 65 or more gets a unit with food service."),
    )
    fairness = models.PositiveSmallIntegerField(
        _("even share across partners"),
        default=fit.Weights.fairness,
        validators=[MaxValueValidator(MAX_WEIGHT)],
        help_text=_(
            "Partners that received fewer new placements lately than their share of the free "
            "beds come first."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("fit weights")
        verbose_name_plural = _("fit weights")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="fit_weights_singleton"),
            models.CheckConstraint(
                condition=models.Q(distance__lte=MAX_WEIGHT)
                & models.Q(language__lte=MAX_WEIGHT)
                & models.Q(food__lte=MAX_WEIGHT)
                & models.Q(fairness__lte=MAX_WEIGHT),
                name="fit_weights_at_most_ten",
            ),
        ]

    def __str__(self) -> str:
        return str(self.weights())

    @classmethod
    def current(cls) -> "FitWeights":
        return cls.objects.filter(pk=cls.SINGLETON_ID).first() or cls(pk=cls.SINGLETON_ID)

    def weights(self) -> fit.Weights:
        return fit.Weights(
            distance=self.distance, language=self.language, food=self.food, fairness=self.fairness
        )


class ProposalKind(models.TextChoices):
    ALLOCATIONS = "allocations", _("Pending allocations")
    SITE_CLOSING = "site_closing", _("Closing a site")


class PlacementProposal(PublicIdModel):
    """One run of the engine: its inputs, its result and who asked for it.

    ``problem`` is the engine's documented JSON form with short ids (``h1``, ``u1``) and
    ``ids`` maps them to public ids, so that a problem can be handed to the command line as it
    is, without naming anyone. Nothing here changes after it is created; the items record what
    became of each household.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ProposalKind.choices)
    site = models.ForeignKey(
        Site,
        verbose_name=_("closing site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("date of the move"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("proposed again from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_proposals",
    )
    problem = models.JSONField(_("problem"))
    ids = models.JSONField(_("ids"), default=dict)
    weights = models.JSONField(_("weights"), default=dict)
    pins = models.JSONField(_("pins"), default=list)
    forbids = models.JSONField(_("forbidden units"), default=list)
    result = models.JSONField(_("result"))
    households_total = models.PositiveIntegerField(_("households"))
    persons_total = models.PositiveIntegerField(_("persons"))
    households_placed = models.PositiveIntegerField(_("households placed"))
    persons_placed = models.PositiveIntegerField(_("persons placed"))
    objective = models.BigIntegerField(_("objective"))
    upper_bound = models.BigIntegerField(_("upper bound"))
    gap = models.FloatField(_("gap"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement proposal")
        verbose_name_plural = _("placement proposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ProposalKind.values), name="proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ProposalKind.SITE_CLOSING, site__isnull=False)
                | models.Q(kind=ProposalKind.ALLOCATIONS, site__isnull=True),
                name="proposal_site_only_when_closing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_site_closing(self) -> bool:
        return self.kind == ProposalKind.SITE_CLOSING

    @property
    def gap_percent(self) -> float:
        return 100.0 * self.gap

    @property
    def reaches_percent(self) -> float:
        """How much of the best possible placement's score this one reaches at least (the
        best is at most the proven bound), rounded down so that the words stay true."""
        return math.floor((1.0 - self.gap) * 10_000) / 100


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Could not be accepted")
    UNPLACED = "unplaced", _("No place")


class UnplacedReason(models.TextChoices):
    # The engine's codes, then the households it was never asked about.
    NO_UNIT = "no_unit", _("No unit fits")
    NO_CANDIDATE = "no_candidate", _("Every fitting unit is forbidden")
    OUTBID = "outbid", _("Used for others")
    EMPTY_HOUSEHOLD = "empty_household", _("No persons")
    ALREADY_HOUSED = "already_housed", _("Already housed")


# What a refusal from the reception services means for an item of a proposal.
FAILURE_MESSAGES: dict[str, Any] = {
    ReceptionErrorCode.NO_ROOM: _(
        "The unit filled up after the proposal was made. Propose again to find another place."
    ),
    ReceptionErrorCode.NOT_PENDING: _(
        "The allocation is no longer pending: it was placed, refused or cancelled meanwhile."
    ),
    ReceptionErrorCode.NEEDS_NOT_MET: _(
        "The unit no longer meets the household's needs. Propose again."
    ),
    ReceptionErrorCode.SITE_CLOSED: _("The site is not open on that date."),
    ReceptionErrorCode.ALREADY_HOUSED: _("The household already lives somewhere; move it instead."),
    ReceptionErrorCode.STAY_ENDED: _("The household moved or moved out meanwhile."),
    # A host home's part of the placement rule (reception/eligibility.py), in its words.
    ReceptionErrorCode.HOST_NOT_REGISTERED: _(
        "This host home has no registered host. Register and vet the host first."
    ),
    ReceptionErrorCode.HOST_NOT_VETTED: _(
        "This host home is not vetted: the home visit, the host's identity and a "
        "reference must be checked before the first guest moves in."
    ),
    ReceptionErrorCode.HOST_NOT_AVAILABLE: _("The host does not offer the home on that date."),
    ReceptionErrorCode.NO_AGREEMENT: _(
        "No sublet agreement signed by the host, the organisation and this household "
        "covers that date. Record the host's answer and the signed agreement first."
    ),
}


PART_LABELS = {
    "distance": _("Distance"),
    "language": _("Language"),
    "food": _("Food service"),
    "fairness": _("Fair share"),
}
DISTANCE_TEXTS: dict[str, Any] = {
    AnchorKind.SCHOOL: _("%(km)s km from the child's school in %(district)s"),
    AnchorKind.WORK: _("%(km)s km from the job in %(district)s"),
    AnchorKind.RELATIVES: _("%(km)s km from relatives in %(district)s"),
    AnchorKind.DISTRICT: _("%(km)s km from the centre of %(district)s, the preferred district"),
}


@dataclass(frozen=True)
class ExplainedPart:
    name: str
    label: str
    score: float
    weight: int
    text: str


def _percent(share: Any) -> str:
    return f"{number_format(100 * float(share or 0), 0)} %"


def explain_parts(parts: dict[str, Any]) -> list[ExplainedPart]:
    """The parts of a fit in words, in the order of ``fit.PARTS``."""
    explained = []
    for name in fit.PARTS:
        part = parts.get(name)
        if not isinstance(part, dict):
            continue
        if name == "distance":
            template = DISTANCE_TEXTS.get(part.get("anchor", ""), DISTANCE_TEXTS["district"])
            text = str(template) % {
                "km": number_format(part.get("km", 0), 1),
                "district": part.get("district", ""),
            }
        elif name == "language":
            shared = part.get("shared") or []
            text = (
                gettext("Speaks %(languages)s with the hosts")
                % {"languages": language_names(shared)}
                if shared
                else gettext("No language in common with the hosts")
            )
        elif name == "food":
            text = (
                gettext("Food service for someone aged 65 or more")
                if part.get("score")
                else gettext("No food service, though someone is 65 or older")
            )
        else:
            text = gettext(
                "The partner has %(free)s of the free beds and received %(recent)s of the new "
                "placements in the last %(days)s days"
            ) % {
                "free": _percent(part.get("free_share")),
                "recent": _percent(part.get("recent_share")),
                "days": fit.FAIRNESS_WINDOW_DAYS,
            }
        explained.append(
            ExplainedPart(
                name,
                str(PART_LABELS[name]),
                float(part.get("score", 0)),
                int(part.get("weight", 0)),
                text,
            )
        )
    return explained


class ProposalItem(PublicIdModel):
    """One household of a proposal: where the engine would put it and why, and what became
    of it. ``next_pin`` and ``next_forbids`` are the coordinator's changes for proposing
    again; they start as this proposal's own pins and forbids."""

    proposal = models.ForeignKey(
        PlacementProposal, verbose_name=_("placement proposal"), on_delete=models.CASCADE,
        related_name="items",
    )  # fmt: skip
    key = models.CharField(_("id in the problem"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    from_stay = models.ForeignKey(
        Stay,
        verbose_name=_("current stay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("date of the move"))
    size = models.PositiveIntegerField(_("persons"))
    needs = models.JSONField(_("needs"), default=list)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("proposed unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fit = models.PositiveSmallIntegerField(_("fit"), null=True, blank=True)
    parts = models.JSONField(_("parts of the fit"), default=dict)
    pinned = models.BooleanField(_("pinned"), default=False)
    dropped_pin = models.ForeignKey(
        Unit,
        verbose_name=_("pin that no longer held"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(
        _("why no place"), max_length=16, choices=UnplacedReason.choices, blank=True
    )
    suitable = models.PositiveIntegerField(_("units with the needs and beds"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    stay = models.ForeignKey(
        Stay,
        verbose_name=_("stay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    next_pin = models.ForeignKey(
        Unit,
        verbose_name=_("pin for the next proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_forbids = models.ManyToManyField(
        Unit, verbose_name=_("forbidden for the next proposal"), blank=True, related_name="+"
    )

    # Kept when the household is anonymised (people.retention):
    # the solver's codes and need codes, no words of a person.
    retention_kept: ClassVar[tuple[str, ...]] = ("key", "needs", "parts", "error_code", "message")

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("proposal item")
        verbose_name_plural = _("proposal items")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "household"], name="proposal_item_one_per_household"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values), name="proposal_item_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=[*UnplacedReason.values, ""]),
                name="proposal_item_reason_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ItemStatus.ACCEPTED)
                | models.Q(stay__isnull=False, accepted_by__isnull=False),
                name="proposal_item_accepted_has_stay",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} → {self.unit or '—'}"

    @property
    def can_accept(self) -> bool:
        return self.status == ItemStatus.PROPOSED and self.unit_id is not None

    @property
    def can_adjust(self) -> bool:
        return self.status != ItemStatus.ACCEPTED

    def needs_display(self) -> str:
        return ", ".join(feature_label(need) for need in self.needs)

    def explained_parts(self) -> list[ExplainedPart]:
        return explain_parts(self.parts or {})

    def reason_display(self) -> str:
        """Why the household has no place, in words a coordinator can act on."""
        if self.reason == UnplacedReason.NO_UNIT:
            if self.needs:
                return ngettext(
                    "No unit has %(needs)s and %(size)s free bed now.",
                    "No unit has %(needs)s and %(size)s free beds now.",
                    self.size,
                ) % {"needs": self.needs_display(), "size": self.size}
            return ngettext(
                "No unit has %(size)s free bed now.",
                "No unit has %(size)s free beds now.",
                self.size,
            ) % {"size": self.size}
        if self.reason == UnplacedReason.NO_CANDIDATE:
            return ngettext(
                "%(n)s unit with the beds and features this household needs is forbidden for it.",
                "All %(n)s units with the beds and features this household needs are "
                "forbidden for it.",
                self.suitable,
            ) % {"n": self.suitable}
        if self.reason == UnplacedReason.OUTBID:
            return ngettext(
                "%(n)s unit that would fit houses more persons, or fits them better, with "
                "other households.",
                "All %(n)s units that would fit house more persons, or fit them better, with "
                "other households.",
                self.suitable,
            ) % {"n": self.suitable}
        if self.reason == UnplacedReason.EMPTY_HOUSEHOLD:
            return gettext("The household has no persons.")
        if self.reason == UnplacedReason.ALREADY_HOUSED:
            return gettext("The household already lives somewhere; move it instead.")
        return ""

    def failure_display(self) -> str:
        known = FAILURE_MESSAGES.get(self.error_code)
        return str(known) if known is not None else self.message
