"""Coupon codes: easy to type, impossible to guess, and a typing error is caught."""

from hypothesis import given
from hypothesis import strategies as st

from tillsammans.coupons import codes


def test_it_makes_twelve_characters_without_the_easily_confused_ones():
    # when
    made = {codes.generate() for _ in range(500)}
    # then
    assert len(made) == 500
    for code in made:
        assert len(code) == 12
        assert not set(code) & set("01OI")
        assert codes.is_well_formed(code)


@given(st.data())
def test_it_catches_every_single_mistyped_character(data):
    # given
    code = codes.generate()
    position = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([c for c in codes.ALPHABET if c != code[position]]))
    # when
    typed = code[:position] + wrong + code[position + 1 :]
    # then
    assert not codes.is_well_formed(typed)


def test_it_reads_the_code_as_printed_typed_in_lower_case_or_scanned_from_the_qr():
    # given
    code = codes.generate()
    printed = codes.display(code)
    # then
    assert printed.count("-") == 2
    assert codes.normalise(printed) == code
    assert codes.normalise(f" {printed.lower()} ") == code
    assert codes.normalise(f"https://example.org/coupons/redeem/?code={code}") == code
