import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tillsammans.core.lib.identity import (
    is_coordination_number,
    luhn_ok,
    mask_swedish_id,
    normalise_swedish_id,
    ten_digit_form,
)

TODAY = dt.date(2026, 11, 22)


def _with_check_digit(first_nine: str) -> str:
    for digit in "0123456789":
        if luhn_ok(first_nine + digit):
            return first_nine + digit
    raise AssertionError("unreachable")


def test_it_accepts_a_twelve_digit_personal_number():
    # given a number with a valid check digit (Skatteverket's test number)
    raw = "19811218-9876"
    # when
    number = normalise_swedish_id(raw, today=TODAY)
    # then
    assert number == "198112189876"
    assert not is_coordination_number(number)


def test_it_infers_the_century_of_a_ten_digit_number():
    assert normalise_swedish_id("811218-9876", today=TODAY) == "198112189876"


def test_it_reads_plus_as_a_person_over_a_hundred():
    # given someone born 1918-12-18 written in the 10-digit form
    ten = _with_check_digit("181218987")
    # when
    normalised = normalise_swedish_id(f"{ten[:6]}+{ten[6:]}", today=TODAY)
    # then
    assert normalised.startswith("1918")
    assert ten_digit_form(normalised, today=TODAY)[6] == "+"


def test_it_accepts_a_coordination_number_with_day_plus_sixty():
    # given born 1990-05-12, day 12 + 60 = 72
    ten = _with_check_digit("900572" + "123")
    # when
    number = normalise_swedish_id(f"19{ten[:6]}-{ten[6:]}", today=TODAY)
    # then
    assert is_coordination_number(number)


def test_it_rejects_a_wrong_check_digit_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        normalise_swedish_id("19811218-9875", today=TODAY)
    assert error.value.code == "id_checksum"


@pytest.mark.parametrize("raw", ["19811318-9876", "19810230-1234", "abc", "1981121898", ""])
def test_it_rejects_malformed_numbers(raw):
    with pytest.raises(ValidationError):
        normalise_swedish_id(raw, today=TODAY)


def test_it_masks_all_but_the_date():
    assert mask_swedish_id("198112189876") == "19811218-****"


@given(
    st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2025, 12, 31)), st.integers(0, 999)
)
def test_it_accepts_every_valid_number_it_could_be_given(born, serial):
    # given any real date and serial, with the right check digit
    ten = _with_check_digit(f"{born:%y%m%d}{serial:03d}")
    # when
    number = normalise_swedish_id(f"{born:%Y}{ten[2:6]}-{ten[6:]}", today=TODAY)
    # then
    assert number == f"{born:%Y%m%d}{ten[6:]}"
    assert luhn_ok(number[2:])
