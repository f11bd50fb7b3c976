"""Placement proposals made by the worker (``core.background``): for more than a few hundred
households the solver and the saving take longer than a page should wait."""

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tillsammans.core import access
from tillsammans.core.background import Outcome, Progress, finish, handler
from tillsammans.core.errors import ServiceError
from tillsammans.core.models import BackgroundJob

from . import services
from .models import PlacementProposal

KIND = "placement.propose"


def in_background(households: int) -> bool:
    """Whether a proposal about this many households is made by the worker."""
    return households >= settings.PLACEMENT_IN_BACKGROUND_FROM


def _done(job: BackgroundJob, proposal: PlacementProposal) -> None:
    finish(job, Outcome(url=reverse("proposal_detail", args=[proposal.public_id])))


@handler(KIND)
def propose(job: BackgroundJob, progress: Progress) -> Outcome:
    """Make the proposal the job's parameters ask for, as the user who asked; the job is
    marked done in the transaction that saves the proposal, so a retry never makes two."""
    then = partial(_done, job)
    try:
        proposal = _propose(job, progress, then)
    except Http404:
        raise ServiceError(
            "gone", _("The site or the proposal this work was about is no longer yours to see.")
        ) from None
    return Outcome(url=reverse("proposal_detail", args=[proposal.public_id]))


def _propose(
    job: BackgroundJob, progress: Progress, then: Callable[[PlacementProposal], None]
) -> PlacementProposal:
    actor, params = job.created_by, job.params
    if "proposal" in params:
        proposal = services.proposal_repropose(
            actor=actor,
            proposal=access.get_proposal_for_user(actor, params["proposal"]),
            progress=progress,
            then=then,
        )
    elif "site" in params:
        proposal = services.proposal_create_for_site(
            actor=actor,
            site=access.get_site_for_user(actor, params["site"]),
            on=dt.date.fromisoformat(params["on"]),
            progress=progress,
            then=then,
        )
    else:
        proposal = services.proposal_create(
            actor=actor, on=dt.date.fromisoformat(params["on"]), progress=progress, then=then
        )
    return proposal
