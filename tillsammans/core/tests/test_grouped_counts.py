"""Counts of a thousand or more are grouped the reader's way, as the money fields are."""

import pytest
from django.template import Context, Template
from django.utils import translation


def _render(source: str, **context: object) -> str:
    return Template("{% load tillsammans %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "shown"),
    [("sv", "36\u00a0431|999|1\u00a0000"), ("en", "36,431|999|1,000")],
)
def test_it_groups_the_thousands_of_a_count(language, shown):
    # when
    with translation.override(language):
        rendered = _render(
            "{{ a|grouped }}|{{ b|grouped }}|{{ c|grouped }}", a=36431, b=999, c=1000
        )
    # then
    assert rendered == shown


def test_it_groups_a_published_figure_and_still_hides_small_ones():
    # when
    with translation.override("sv"):
        rendered = _render(
            "{{ a|published }}|{{ b|published }}|{{ c|published }}", a=36431, b=3, c=0
        )
    # then
    assert rendered == "36\u00a0431|färre än 5|0"
