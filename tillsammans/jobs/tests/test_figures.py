import datetime as dt

from tillsammans.jobs.models import Stage
from tillsammans.jobs.selectors import monthly_figures, yearly_figures
from tillsammans.jobs.services import job_seeker_stage_change, proposal_create

from .conftest import enrol, opening, resident

JULY = dt.date(2022, 7, 1)


def _employ(cast, seeker, job, starts_on):
    proposal_create(actor=cast.a_staff, seeker=seeker, opening=job, on=JULY)
    for to in (Stage.INTERVIEW, Stage.OFFER):
        seeker.refresh_from_db()
        job_seeker_stage_change(
            actor=cast.a_staff, seeker=seeker, to=to, expected=seeker.stage, on=JULY
        )
    seeker.refresh_from_db()
    job_seeker_stage_change(
        actor=cast.a_staff, seeker=seeker, to=Stage.EMPLOYED, expected=Stage.OFFER, on=JULY,
        employer=job.employer, employment_type="permanent", hours_per_week=40,
        starts_on=starts_on,
    )  # fmt: skip


def test_it_counts_enrolled_stages_and_work_by_month(cast, programme):
    # given: two enrolled in June; one gets a job from 1 July that ends on 30 September,
    # the other a job from 1 July that lasts
    lasting = enrol(cast, resident(cast, "Olha"))
    short = enrol(cast, resident(cast, "Petro"))
    _employ(cast, lasting, opening(cast, title="A"), JULY)
    _employ(cast, short, opening(cast, title="B"), JULY)
    short.refresh_from_db()
    job_seeker_stage_change(
        actor=cast.a_staff, seeker=short, to=Stage.ENDED, expected=Stage.EMPLOYED,
        on=dt.date(2022, 9, 30), end_reason="job_ended",
    )  # fmt: skip
    org = cast.org_a.pk
    # when
    june, july = monthly_figures(2022, 6)[org], monthly_figures(2022, 7)[org]
    september, october = monthly_figures(2022, 9)[org], monthly_figures(2022, 10)[org]
    year = yearly_figures(2022, today=dt.date(2023, 6, 30))[org]
    # then
    assert (june["enrolled"], june["stage_enrolled"], june["in_work"]) == (2, 2, 0)
    assert (july["got_work"], july["in_work"], july["stage_employed"]) == (2, 2, 2)
    assert (september["in_work"], september["in_work_3m"], september["ended"]) == (1, 0, 1)
    assert (october["in_work"], october["in_work_3m"], october["in_work_6m"]) == (1, 1, 0)
    assert year["enrolled"] == 2
    assert year["got_work"] == 2
    assert (year["still_3m"], year["known_3m"]) == (1, 2)
    assert (year["still_6m"], year["known_6m"]) == (1, 2)
    assert year["in_work_end"] == 1
