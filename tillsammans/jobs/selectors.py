"""Reads of the jobs app: who may see what, the coach's board, and the figures.

Job seekers are the coaching organisation's own cases: its partner staff and admins (the
coaches) and the city's coordinator see them; everyone else gets the same 404 as for a job
seeker that does not exist. Employers and openings are seen by the same people.
"""

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tillsammans.core import access
from tillsammans.partnership.models import Role
from tillsammans.people.models import Person

from .models import (
    ACTIVE_STAGES,
    Employer,
    Employment,
    JobSeeker,
    Opening,
    Programme,
    Stage,
    StageChange,
)

FIGURE_STAGES = (*ACTIVE_STAGES, Stage.EMPLOYED)
# Jobbstart is for those who may take a regular job: in Sweden from 16, once compulsory school
# is over. A younger resident is never offered for enrolment.
MIN_AGE = 16


def coaching_organisation_id(user: Any) -> int | None:
    """The user's organisation when it runs a job programme and the user is its staff."""
    membership = access.membership_of(user)
    if membership is None or membership.role not in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF):
        return None
    if not Programme.objects.filter(organisation_id=membership.organisation_id).exists():
        return None
    return membership.organisation_id


def is_coach(user: Any) -> bool:
    return coaching_organisation_id(user) is not None


def sees_jobs(user: Any) -> bool:
    return access.is_coordinator(user) or is_coach(user)


def _scoped(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if access.is_coordinator(user):
        return queryset
    organisation_id = coaching_organisation_id(user)
    if organisation_id is None:
        return queryset.none()
    return queryset.filter(organisation_id=organisation_id)


def visible_job_seekers(user: Any) -> QuerySet[JobSeeker]:
    return _scoped(user, JobSeeker.objects.all())


def visible_employers(user: Any) -> QuerySet[Employer]:
    return _scoped(user, Employer.objects.all())


def visible_openings(user: Any) -> QuerySet[Opening]:
    return _scoped(user, Opening.objects.all())


def _get(queryset: QuerySet[Any], public_id: Any) -> Any:
    try:
        return queryset.get(public_id=access._parse_uuid(public_id))
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def get_job_seeker_for_user(user: Any, public_id: Any) -> JobSeeker:
    return _get(
        visible_job_seekers(user).select_related(
            "person", "organisation", "coach", "wanted_occupation", "previous_occupation"
        ),
        public_id,
    )


def get_employer_for_user(user: Any, public_id: Any) -> Employer:
    return _get(visible_employers(user).select_related("organisation"), public_id)


def get_opening_for_user(user: Any, public_id: Any) -> Opening:
    return _get(visible_openings(user).select_related("employer", "occupation"), public_id)


def latest_birth_date_of_age(today: dt.date) -> dt.date:
    """The last birth date of someone who is ``MIN_AGE`` or older on ``today``."""
    try:
        return today.replace(year=today.year - MIN_AGE)
    except ValueError:  # 29 February in a year that had none: born on the 28th or before
        return today.replace(year=today.year - MIN_AGE, day=28)


def enrollable_persons(user: Any, on: dt.date | None = None) -> QuerySet[Person]:
    """Residents a coach may enrol: those aged ``MIN_AGE`` or more ``on`` the day (today by
    default) living at the coach's organisation's sites, and those referred to it (an
    accepted or done referral that still carries their name)."""
    from tillsammans.referrals.models import Referral, ReferralStatus

    organisation_id = coaching_organisation_id(user)
    if organisation_id is None:
        return Person.objects.none()
    referred = Referral.objects.filter(
        person=OuterRef("pk"),
        to_organisation_id=organisation_id,
        status__in=(ReferralStatus.ACCEPTED, ReferralStatus.DONE),
        content_erased_at__isnull=True,
    )
    enrolled = JobSeeker.objects.filter(person=OuterRef("pk")).exclude(stage=Stage.ENDED)
    own = access.visible_persons(user).values("pk")
    return (
        Person.objects.filter(Q(pk__in=own) | Q(Exists(referred)))
        .filter(birth_date__lte=latest_birth_date_of_age(on or timezone.localdate()))
        .exclude(Exists(enrolled))
        .select_related("household")
    )


def board(seekers: QuerySet[JobSeeker]) -> list[tuple[str, str, list[JobSeeker]]]:
    """The caseload in columns, one per stage of the pipeline (ended ones left out)."""
    columns: dict[str, list[JobSeeker]] = {stage: [] for stage in FIGURE_STAGES}
    rows = seekers.exclude(stage=Stage.ENDED).select_related("person", "wanted_occupation")
    for seeker in rows.order_by("stage_changed_on", "id"):
        columns[seeker.stage].append(seeker)
    return [(stage, str(Stage(stage).label), columns[stage]) for stage in FIGURE_STAGES]


# --- figures -------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _stages_on(day: dt.date) -> dict[int, tuple[int, str]]:
    """Each job seeker's (organisation id, stage) at the end of ``day``."""
    stages: dict[int, tuple[int, str]] = {}
    changes = (
        StageChange.objects.filter(on__lte=day)
        .order_by("on", "id")
        .values_list("seeker_id", "seeker__organisation_id", "to_stage")
    )
    for seeker_id, organisation_id, stage in changes:
        stages[seeker_id] = (organisation_id, stage)
    return stages


def _in_work_on(day: dt.date) -> dict[int, tuple[int, dt.date]]:
    """Job seekers in work at the end of ``day``: (organisation id, when the job started)."""
    in_work: dict[int, tuple[int, dt.date]] = {}
    rows = Employment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day), starts_on__lte=day
    ).values_list("seeker_id", "seeker__organisation_id", "starts_on")
    for seeker_id, organisation_id, starts_on in rows:
        earliest = in_work.get(seeker_id)
        if earliest is None or starts_on < earliest[1]:
            in_work[seeker_id] = (organisation_id, starts_on)
    return in_work


def _empty() -> dict[str, int]:
    keys = ["enrolled", "ended", "got_work", "in_work", "in_work_3m", "in_work_6m"]
    return dict.fromkeys(keys + [f"stage_{stage}" for stage in FIGURE_STAGES], 0)


def monthly_figures(year: int, month: int) -> dict[int, dict[str, int]]:
    """A month's figures per coaching organisation (keyed by organisation id), no persons.

    ``enrolled``, ``ended`` and ``got_work`` happened in the month; ``stage_<stage>`` counts
    job seekers in each stage at the month's end; ``in_work`` those in work then, and
    ``in_work_3m`` / ``in_work_6m`` those of them whose job had lasted 3 / 6 months or more.
    """
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    figures: dict[int, dict[str, int]] = defaultdict(_empty)
    for organisation_id in Programme.objects.values_list("organisation_id", flat=True):
        figures[organisation_id]
    for organisation_id in JobSeeker.objects.filter(enrolled_on__range=(first, last)).values_list(
        "organisation_id", flat=True
    ):
        figures[organisation_id]["enrolled"] += 1
    for organisation_id in StageChange.objects.filter(
        on__range=(first, last), to_stage=Stage.ENDED
    ).values_list("seeker__organisation_id", flat=True):
        figures[organisation_id]["ended"] += 1
    started = (
        Employment.objects.filter(starts_on__range=(first, last))
        .values_list("seeker_id", "seeker__organisation_id")
        .distinct()
    )
    for _seeker_id, organisation_id in started:
        figures[organisation_id]["got_work"] += 1
    for organisation_id, stage in _stages_on(last).values():
        if stage in FIGURE_STAGES:
            figures[organisation_id][f"stage_{stage}"] += 1
    for organisation_id, starts_on in _in_work_on(last).values():
        figures[organisation_id]["in_work"] += 1
        if _add_months(starts_on, 3) <= last:
            figures[organisation_id]["in_work_3m"] += 1
        if _add_months(starts_on, 6) <= last:
            figures[organisation_id]["in_work_6m"] += 1
    return dict(figures)


def yearly_figures(
    year: int, *, today: dt.date | None = None, period: tuple[dt.date, dt.date] | None = None
) -> dict[int, dict[str, int]]:
    """A year's figures per coaching organisation for the annual report, no persons; with
    ``period`` ([first, following) within the year), only those days (the days an organisation
    took part in an agreement), ``in_work_end`` then on the period's last day.

    ``enrolled``: enrolled in the year; ``got_work``: job seekers whose job started in the
    year (the report's "over 40 in work"); ``in_work_end``: in work on 31 December;
    ``still_3m`` / ``still_6m``: of those who got work in the year, how many were still in
    work 3 / 6 months after the start, and ``known_3m`` / ``known_6m`` how many had got that
    far by ``today`` (the denominators).
    """
    today = today or timezone.localdate()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if period is not None:
        first, last = max(first, period[0]), min(last, period[1] - dt.timedelta(days=1))
    keys = ("enrolled", "got_work", "in_work_end", "still_3m", "known_3m", "still_6m", "known_6m")
    figures: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for organisation_id in Programme.objects.values_list("organisation_id", flat=True):
        figures[organisation_id]
    for organisation_id in JobSeeker.objects.filter(enrolled_on__range=(first, last)).values_list(
        "organisation_id", flat=True
    ):
        figures[organisation_id]["enrolled"] += 1
    first_jobs: dict[int, tuple[int, dt.date, dt.date | None]] = {}
    rows = Employment.objects.filter(starts_on__range=(first, last)).order_by("starts_on", "id")
    for seeker_id, organisation_id, starts_on, ended_on in rows.values_list(
        "seeker_id", "seeker__organisation_id", "starts_on", "ended_on"
    ):
        first_jobs.setdefault(seeker_id, (organisation_id, starts_on, ended_on))
    for organisation_id, starts_on, ended_on in first_jobs.values():
        counts = figures[organisation_id]
        counts["got_work"] += 1
        for months, key in ((3, "3m"), (6, "6m")):
            mark = _add_months(starts_on, months)
            if mark <= today:
                counts[f"known_{key}"] += 1
                if ended_on is None or ended_on > mark:
                    counts[f"still_{key}"] += 1
    for organisation_id, _starts_on in _in_work_on(last).values():
        figures[organisation_id]["in_work_end"] += 1
    return dict(figures)
