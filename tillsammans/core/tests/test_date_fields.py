"""One date field and one month field, each with a range a person can mean."""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone, translation

from tillsammans.core.forms import BirthDateField, DateField, MonthField, MonthForm
from tillsammans.core.lib.dates import add_days, month_bounds, parse_date, parse_month, week_bounds


class _Form(forms.Form):
    on = DateField()
    born = BirthDateField(required=False)
    month = MonthField(required=False)


@pytest.mark.parametrize("typed", ["0001-01-01", "1900-01-01", "1999-12-31", "9999-12-31"])
def test_it_refuses_an_operational_date_outside_the_partnerships_lifetime(typed):
    # when
    with translation.override("en"):
        form = _Form({"on": typed})
        errors = [str(error) for error in form.errors.get("on", [])]
    # then
    latest = timezone.localdate().year + 10
    assert errors == [f"Enter a date between Jan. 1, 2000 and Dec. 31, {latest}."]


@pytest.mark.parametrize("typed", ["10000-01-01", "2023-02-30", "²", "99999999999999999999"])
def test_it_refuses_a_date_that_does_not_exist(typed):
    # when
    form = _Form({"on": typed})
    # then
    assert not form.is_valid()
    assert "on" in form.errors


def test_it_takes_a_date_in_range_and_tells_the_date_picker_the_range():
    # given
    today = timezone.localdate()
    # when
    form = _Form({"on": "2022-08-01", "born": "1950-01-02"})
    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == dt.date(2022, 8, 1)
    html = str(form["on"]) + str(form["born"])
    assert 'min="2000-01-01"' in html and f'max="{today.year + 10}-12-31"' in html
    assert 'min="1900-01-01"' in html and f'max="{today.isoformat()}"' in html


def test_it_refuses_a_birth_date_in_the_future_or_before_1900():
    # given
    tomorrow = add_days(timezone.localdate(), 1)
    # when
    with translation.override("sv"):
        future = _Form({"on": "2022-08-01", "born": tomorrow.isoformat()})
        old = _Form({"on": "2022-08-01", "born": "1899-12-31"})
        message = str(future.errors["born"][0])
    # then
    assert message.startswith("Ange ett datum mellan 1 januari 1900 och")
    assert "born" in old.errors


@pytest.mark.parametrize(
    "typed", ["0000-01", "0001-01", "9999-12", "2022-13", "٢٠٢٢-١٠", "2022-10-01"]
)
def test_it_refuses_a_month_that_is_not_one_or_out_of_range(typed):
    # when
    form = MonthForm({"month": typed})
    # then
    assert form.chosen() is None
    assert form.errors["month"]


def test_it_reads_a_month_and_gives_this_month_when_none_is_asked_for():
    assert MonthForm({"month": "2022-10"}).chosen() == dt.date(2022, 10, 1)
    assert MonthForm({}).chosen() == timezone.localdate().replace(day=1)


def test_it_parses_only_ascii_digits():
    assert parse_month("２０２２-１０") is None
    assert parse_date("٢٠٢٢-١٠-٠١") is None
    assert parse_date("2023-02-30") is None
    assert parse_date(" 2022-10-01 ") == dt.date(2022, 10, 1)


def test_it_computes_bounds_at_the_edges_of_the_calendar_without_overflowing():
    assert month_bounds(9999, 12) == (dt.date(9999, 12, 1), dt.date.max)
    assert month_bounds(1, 1) == (dt.date(1, 1, 1), dt.date(1, 2, 1))
    assert add_days(dt.date.max, 1) == dt.date.max
    assert add_days(dt.date.min, -30) == dt.date.min
    assert week_bounds(dt.date.max)[1] == dt.date.max
