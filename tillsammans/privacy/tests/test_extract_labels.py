"""The register extract speaks the reader's language: every field and every kind of record it
can show is named in Swedish and in Ukrainian, never by a column's English name ("Bed",
"Started on") or a bare code."""

import pytest
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from tillsammans.people.models import Household, Person, PersonNameKey
from tillsammans.people.retention import records_about
from tillsammans.privacy.extract import HIDDEN


def _shown() -> list[type[models.Model]]:
    found = {Person, Household} | {model for model, _lookup, _target in records_about()}
    return sorted(found - {PersonNameKey}, key=lambda model: model._meta.label)  # deleted whole


@pytest.mark.parametrize("language", ["sv", "uk"])
def test_every_label_the_extract_can_show_is_translated(language):
    untranslated = []
    for model in _shown():
        labels = [model._meta.verbose_name_plural]
        labels += [
            field.verbose_name
            for field in model._meta.concrete_fields
            if field.name not in HIDDEN and not isinstance(field, models.BinaryField)
        ]
        for label in labels:
            with translation.override(None):
                english = str(label)
            with translation.override(language):
                read = str(label)
            # "person" is "person" in Swedish too: a label must be marked, and read differently
            # unless the word is the same in both languages
            same_word = language == "sv" and english.casefold() in {"person", "status", "coach"}
            if not isinstance(label, Promise) or (read == english and not same_word):
                untranslated.append(f"{model._meta.label}: {english!r}")
    assert untranslated == []
