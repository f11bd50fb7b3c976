"""Query parameters read by hand: a bad value reads as the default, never as an error."""

import uuid

import pytest
from django.http import QueryDict

from tillsammans.core.lib import params


@pytest.mark.parametrize(
    "raw",
    ["²", "٣", "１２", "99999999999999999999", "1_000", "1.5", "abc", "", "a\x00b", "1e3"],
)
def test_it_reads_no_id_from_anything_but_ascii_digits_in_range(raw):
    # given
    query = QueryDict(mutable=True)
    query["programme"] = raw
    # when
    wanted = params.get_id(query, "programme")
    # then
    assert wanted is None


def test_it_reads_an_id_written_in_ascii_digits():
    assert params.get_id(QueryDict("organisation=42"), "organisation") == 42
    assert params.get_id(QueryDict("organisation=%2042%20"), "organisation") == 42


def test_it_keeps_a_number_within_its_range_or_gives_the_default():
    # given
    query = QueryDict("year=2019&month=7")
    # when / then
    assert params.get_int(query, "year", 2026, minimum=2022, maximum=2027) == 2026
    assert params.get_int(query, "month", 1, minimum=1, maximum=12) == 7
    assert params.get_int(query, "missing", 5, minimum=1, maximum=12) == 5


def test_it_reads_page_one_from_a_page_that_is_no_page():
    for raw in ("0", "-3", "²", "٣", "99999999999999999999", ""):
        assert params.get_page(QueryDict(mutable=True) | {"page": raw}) == 1
    assert params.get_page(QueryDict("page=3")) == 3


def test_it_reads_a_uuid_or_none():
    # given
    known = uuid.uuid4()
    # when / then
    assert params.get_uuid({"person": str(known)}, "person") == known
    assert params.get_uuid({"person": "not-a-uuid"}, "person") is None
    assert params.get_uuid({"person": "٣" * 32}, "person") is None
    assert params.get_uuid({}, "person") is None


def test_it_reads_only_a_known_choice():
    assert params.get_choice({"box": "sent"}, "box", ("inbox", "sent"), "inbox") == "sent"
    assert params.get_choice({"box": "sent\x00"}, "box", ("inbox", "sent"), "inbox") == "inbox"


def test_it_reads_text_as_one_short_line_without_control_characters():
    # when
    text = params.get_text({"q": "  Olena\x00 Shevchenko\r\n" + "x" * 100_000}, "q")
    # then
    assert text.startswith("Olena  Shevchenko")
    assert "\x00" not in text and "\n" not in text
    assert len(text) == 200
