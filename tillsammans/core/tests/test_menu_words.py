"""The main menu names each part with its own word in every language: a Ukrainian reader once
saw "Направлення" for both Hänvisningar (referrals) and Anvisningar (allocations)."""

import pytest
from django.conf import settings
from django.utils import translation

from tillsammans.core.menu import MENU


def menu_labels() -> list[str]:
    """The menu's groups and their pages, in English."""
    with translation.override(None):
        return [
            str(label) for group in MENU for label in (group.label, *(i.label for i in group.items))
        ]


def test_it_reads_the_menu_with_its_groups():
    # then: the menu's groups and parts are found, referrals and allocations among them
    assert {"Referrals", "Allocations", "Placement", "Households", "Housing"} <= set(menu_labels())


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_it_gives_every_menu_entry_its_own_word(language):
    # given the menu's English labels
    labels = menu_labels()
    # when translated
    with translation.override(language):
        words = [translation.gettext(label).casefold() for label in labels]
    # then no two parts share a word
    shared = {word for word in words if words.count(word) > 1}
    assert shared == set()
