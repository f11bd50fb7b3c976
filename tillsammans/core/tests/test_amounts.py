"""Amounts typed the Swedish way (ADR 17): the parser, the one form field and its box."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tillsammans.core.forms import AmountField, NumberField
from tillsammans.core.lib.amounts import AmountError, format_amount, parse_amount

SPACES = [" ", "\u00a0", "\u202f"]
SUFFIXES = ["", " kr", "kr", " KR", " Kr", "\u00a0kr", " SEK", "sek", ":-", " :-"]


@st.composite
def typed_amounts(draw, decimal_places):
    """A Decimal and one way a Swedish user could type it."""
    value = draw(
        st.decimals(
            min_value=Decimal("-1e12"),
            max_value=Decimal("1e12"),
            places=decimal_places,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    grouped = format_amount(value, decimal_places, space=draw(st.sampled_from(SPACES)))
    if draw(st.booleans()):
        grouped = "".join(char for char in grouped if char not in SPACES)
    if draw(st.booleans()):
        grouped = grouped.replace(",", ".")
    if grouped.startswith("-") and draw(st.booleans()):
        grouped = "\u2212" + grouped[1:]
    padding = draw(st.sampled_from(["", " ", "\u00a0"]))
    return value, padding + grouped + draw(st.sampled_from(SUFFIXES)) + padding


@given(
    st.sampled_from([0, 1, 2]).flatmap(
        lambda places: st.tuples(st.just(places), typed_amounts(places))
    )
)
def test_it_reads_back_exactly_any_amount_formatted_the_swedish_way(case):
    # given an amount written the Swedish way, with any of the accepted separators and suffixes
    places, (value, typed) = case
    # when it is read
    read = parse_amount(typed, decimal_places=places)
    # then it is exactly the amount, never a float's neighbour
    assert read == value
    assert isinstance(read, Decimal)


@given(st.decimals(min_value=-180, max_value=180, places=5, allow_nan=False, allow_infinity=False))
def test_it_reads_back_a_number_that_cannot_reach_a_thousand_with_any_number_of_decimals(value):
    # given a coordinate, where three decimals cannot be mistaken for thousands
    typed = format_amount(value, 5).replace(",", ".")
    # when / then
    assert parse_amount(typed, decimal_places=5, currency=False, thousands=False) == value


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("312000,50", "312000.50"),
        ("312000.50", "312000.50"),
        ("312 000,50", "312000.50"),
        ("312\u00a0000,50", "312000.50"),
        ("312\u202f000,50", "312000.50"),
        ("312 000,50 kr", "312000.50"),
        ("312 000,50 KR", "312000.50"),
        ("312000kr", "312000.00"),
        ("312 000 SEK", "312000.00"),
        ("312 000:-", "312000.00"),
        ("1 250 000", "1250000.00"),
        ("  45,5  ", "45.50"),
        ("0,5", "0.50"),
        ("0,125", None),  # three decimals after a zero: decimals, and too many of them
        ("1234,5", "1234.50"),
        ("1,50", "1.50"),
        ("-45,50", "-45.50"),
        ("\u221245,50", "-45.50"),
        ("100,00", "100.00"),
        ("07", "7.00"),
    ],
)
def test_it_accepts_what_a_swedish_user_types(typed, expected):
    # when
    if expected is None:
        with pytest.raises(AmountError):
            parse_amount(typed, decimal_places=2)
        return
    # then
    assert parse_amount(typed, decimal_places=2) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1,234", "ambiguous"),
        ("1.234", "ambiguous"),
        ("312,000", "ambiguous"),
        ("-1,234 kr", "ambiguous"),
        ("3 12000", "grouping"),
        ("31 20 00", "grouping"),
        ("312  000", "grouping"),
        ("1.234,50", "marks"),
        ("1,234.50", "marks"),
        ("1.234.567", "marks"),
        ("1,5,0", "marks"),
        ("12,345678", "decimals"),
        ("1,505", "ambiguous"),
        ("1 234,567", "decimals"),
        ("abc", "invalid"),
        ("12 kronor", "invalid"),
        ("kr 100", "invalid"),
        ("100 kr.", "invalid"),
        ("100,-", "invalid"),
        ("1e3", "invalid"),
        ("NaN", "invalid"),
        ("+5", "invalid"),
        ("--5", "invalid"),
        ("- 5", "invalid"),
        (",5", "invalid"),
        ("12,", "invalid"),
        ("kr", "invalid"),
        ("", "invalid"),
        ("1" * 41, "invalid"),
        ("\x00", "invalid"),
        ("²", "digits"),
        ("١٢٣", "digits"),
        ("１２", "digits"),
    ],
)
def test_it_refuses_what_could_be_read_two_ways_or_not_at_all(typed, code):
    # when
    with pytest.raises(AmountError) as refused:
        parse_amount(typed, decimal_places=2)
    # then
    assert refused.value.code == code


def test_it_writes_amounts_the_swedish_way():
    # when / then
    assert format_amount(Decimal("312000.5"), 2) == "312\u00a0000,50"
    assert format_amount(Decimal("-1250000"), 2, space=" ") == "-1 250 000,00"
    assert format_amount(Decimal("7.5"), 1) == "7,5"
    assert format_amount(300, 0) == "300"
    assert format_amount(Decimal("0.05"), 2) == "0,05"


def _messages(field, typed):
    with translation.override("en"):
        try:
            field.clean(typed)
        except Exception as exc:
            return " ".join(exc.messages)
    raise AssertionError(f"{typed!r} was accepted")


def test_it_says_what_to_type_instead():
    # given the money field of the monthly report and a field of hours
    money = AmountField(max_value=Decimal(1_000_000_000))
    hours = NumberField(decimal_places=1, max_value=744)
    # when / then each refusal names the rule and shows what to type
    assert "1 234" in _messages(money, "1,234") and "thousands or decimals" in _messages(
        money, "1,234"
    )
    assert "in threes" in _messages(money, "3 12000")
    assert "one decimal mark" in _messages(money, "1.234,50")
    assert "at most 2 decimals" in _messages(money, "12,345678")
    assert "digits 0–9" in _messages(money, "²")
    assert "at least 0" in _messages(money, "-5")
    assert "at most 1\u00a0000\u00a0000\u00a0000" in _messages(money, "2 000 000 000")
    assert "at most 1 decimal" in _messages(hours, "7,55")
    assert "for example 7,5" in _messages(hours, "7 h")
    assert "at most 744" in _messages(hours, "745")


def test_it_takes_kronor_after_money_but_not_after_hours():
    # when / then
    assert AmountField().clean("250 kr") == Decimal("250.00")
    assert "for example" in _messages(NumberField(decimal_places=1), "250 kr")


def test_it_gives_whole_numbers_as_integers_and_refuses_decimals_there():
    # given whole kronor (a coupon's value) and whole hours (hours per week)
    kronor = AmountField(decimal_places=0, min_value=1, max_value=5000)
    # when / then
    assert kronor.clean("1 500 kr") == 1500 and isinstance(kronor.clean("300"), int)
    assert kronor.clean("300,00") == 300
    assert "whole number" in _messages(kronor, "300,50")
    assert "whole numbers only" in _messages(kronor, "1,500")


def test_it_reads_three_decimals_where_thousands_are_impossible():
    # given a latitude (-90 to 90): 57,708 cannot be fifty-seven thousand
    latitude = NumberField(decimal_places=5, min_value=-90, max_value=90)
    # when / then
    assert latitude.clean("57,708") == Decimal("57.70800")
    assert latitude.clean("-11.97456") == Decimal("-11.97456")


def test_it_refuses_a_minus_where_the_field_allows_no_negative_amount():
    # when / then
    assert "at least 0" in _messages(AmountField(), "\u221210")
    assert AmountField(min_value=None).clean("\u221210 kr") == Decimal("-10.00")


def test_it_renders_a_text_box_with_the_amount_the_swedish_way():
    # given
    field = AmountField()
    # when
    html = field.widget.render("cost", Decimal("312000.50"))
    typed = field.widget.render("cost", "312000,5 kr")
    # then: a text box with a decimal keyboard, never type=number (it mangles commas)
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="312 000,50"' in html
    assert 'value="312000,5 kr"' in typed
