"""The demo's Jobbstart: Skyddsvärnet's 2022 with about 150 enrolled and over 40 in work."""

import datetime as dt

from tillsammans.jobs.models import Employer, JobSeeker, Opening
from tillsammans.jobs.selectors import monthly_figures, yearly_figures


def test_it_enrols_about_150_and_gets_over_40_into_work_in_2022(loaded, db):
    # given the demo
    skyddsvarnet = JobSeeker.objects.values_list("organisation_id", flat=True).first()
    # when
    year = yearly_figures(2022, today=dt.date(2023, 12, 31))[skyddsvarnet]
    # then
    assert year["enrolled"] == 150
    assert year["got_work"] > 40
    assert 0 < year["still_3m"] <= year["known_3m"] == year["got_work"]


def test_it_shows_every_stage_of_the_pipeline_by_month(loaded, db):
    # given the demo
    skyddsvarnet = JobSeeker.objects.values_list("organisation_id", flat=True).first()
    # when
    october = monthly_figures(2022, 10)[skyddsvarnet]
    # then
    for stage in ("enrolled", "cv_ready", "proposed", "employed"):
        assert october[f"stage_{stage}"] > 0, stage
    assert october["in_work"] > 0


def test_it_invents_clearly_fictional_employers(loaded, db):
    # then
    assert Employer.objects.count() >= 5
    assert all(
        name.startswith("Exempel") for name in Employer.objects.values_list("name", flat=True)
    )
    assert Opening.objects.filter(is_open=True).exists()
