"""Languages are shown by name in the reader's language, never as the codes the data keeps."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tillsammans.core.lib.languages import language_names


def _render(source: str, **context: object) -> str:
    return Template("{% load tillsammans %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("sv", "ukrainska, ryska, engelska"),
        ("uk", "українська, російська, англійська"),
        ("en", "Ukrainian, Russian, English"),
    ],
)
def test_it_names_the_languages_in_the_readers_language(language, shown):
    # when
    with translation.override(language):
        names = language_names(["uk", "ru", "en"])
    # then: lower case within a list in Swedish and Ukrainian, capitalised in English
    assert names == shown


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("sv", "dari, pashto, somaliska, tigrinja"),
        ("uk", "дарі, пушту, сомалі, тигринья"),
        ("en", "Dari, Pashto, Somali, Tigrinya"),
    ],
)
def test_it_names_the_languages_of_the_children_of_2015_that_django_does_not(language, shown):
    # when: the languages of Afghanistan, Somalia and Eritrea
    with translation.override(language):
        names = language_names(["prs", "ps", "so", "ti"])
    # then
    assert names == shown


def test_it_keeps_a_code_it_does_not_know():
    # when
    with translation.override("sv"):
        names = language_names(["uk", "xq"])
    # then
    assert names == "ukrainska, xq"


def test_it_writes_a_choice_of_language_in_lower_case_within_a_swedish_sentence():
    # given: a language chosen from a list, as its label reads there
    template = "{{ label|language_in_text }}"
    # when
    with translation.override("sv"):
        swedish = _render(template, label="Ukrainska")
    with translation.override("en"):
        english = _render(template, label="Ukrainian")
    # then: "förklarat på ukrainska", "explained in Ukrainian"
    assert (swedish, english) == ("ukrainska", "Ukrainian")


def test_it_shows_language_codes_by_name_in_a_template():
    # when
    with translation.override("sv"):
        shown = _render(
            "{{ codes|language_names|default:'–' }}|{{ none|language_names|default:'–' }}",
            codes=["sv", "uk"],
            none=[],
        )
    # then
    assert shown == "svenska, ukrainska|–"
