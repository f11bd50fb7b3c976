"""The main menu names each part with its own word in every language: a Ukrainian reader once
saw "Направлення" for both Hänvisningar (referrals) and Anvisningar (allocations)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

BASE = Path(settings.BASE_DIR) / "tillsammans" / "templates" / "base.html"


def menu_labels() -> list[str]:
    return re.findall(r'{% nav_link _\("([^"]+)"\)', BASE.read_text())


def test_it_reads_the_menu_from_the_base_template():
    # then: the menu's parts are found, referrals and allocations among them
    assert {"Referrals", "Allocations", "Placement", "Households"} <= set(menu_labels())


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
