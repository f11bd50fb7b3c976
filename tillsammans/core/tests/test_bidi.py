"""Direction controls: refused in names, made visible and isolated where names are shown."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from tillsammans.core.lib.bidi import (
    BIDI_CONTROLS,
    isolate_text,
    refuse_bidi_controls,
    visible_controls,
)

RLO = "\u202e"


def _render(source: str, **context: object) -> str:
    return Template("{% load tillsammans %}" + source).render(Context(context))


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_it_refuses_each_direction_control(char):
    # when / then
    with pytest.raises(ValidationError) as refused:
        refuse_bidi_controls(f"Olena{char}")
    assert refused.value.code == "bidi_control"
    assert f"U+{ord(char):04X}" in refused.value.messages[0]


@pytest.mark.parametrize(
    "name", ["Олена Шевченко", "Olena Shevchenko", "محمد", "כהן", "Zoë-Ann O'Neil", ""]
)
def test_it_accepts_names_without_controls(name):
    # when / then: nothing raised
    refuse_bidi_controls(name)


def test_it_leaves_left_to_right_text_as_it_is():
    # then
    assert isolate_text("Олена Шевченко") == "Олена Шевченко"


def test_it_isolates_right_to_left_text_and_shows_its_controls():
    # then
    assert isolate_text("محمد") == "\u2068محمد\u2069"
    assert isolate_text(f"Olena{RLO}gnp") == "\u2068Olena\ufffdgnp\u2069"
    assert visible_controls(f"a{RLO}b\u2069c") == "a\ufffdb\ufffdc"


def test_it_puts_written_text_in_an_isolate_and_escapes_it():
    # when
    html = _render("{{ note|isolate }} efter", note=f"<b>{RLO}gnp</b>")
    # then
    assert html == f"<bdi>&lt;b&gt;{RLO}gnp&lt;/b&gt;</bdi> efter"


def test_it_shows_a_name_in_isolates_with_the_spelling_only_when_there_is_one():
    # given
    with_spelling = {"name": "Оксана Мельник", "latin_name": "Oksana Melnyk"}
    without = {"name": "Оксана Мельник", "latin_name": ""}
    # then
    assert _render("{{ p|person_name }}", p=with_spelling) == (
        "<bdi>Оксана Мельник</bdi> (<bdi>Oksana Melnyk</bdi>)"
    )
    assert _render("{{ p|person_name }}", p=without) == "<bdi>Оксана Мельник</bdi>"
    assert _render("{{ p|person_name:'passport' }}", p=without) == ""
    assert _render("{{ p|person_name:'latin' }}", p=without) == "<bdi>Оксана Мельник</bdi>"


def test_it_shows_a_control_in_a_stored_name_instead_of_obeying_it():
    # given
    person = {"name": f"Olena{RLO}gnp.exe", "latin_name": "<script>"}
    # when
    html = _render("{{ p|person_name }} efter", p=person)
    # then
    assert html == "<bdi>Olena\ufffdgnp.exe</bdi> (<bdi>&lt;script&gt;</bdi>) efter"
