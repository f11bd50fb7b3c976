"""The register extract (GDPR art. 15, issue 15): everything held about a person, across all
organisations, and who read or changed it and when.

It is gathered from the models, not listed by hand: the person's own fields, their household's
(the needs and the housing are theirs too), and every row of any model that points at the
person or the household, each with its fields in the reader's language. Other members of the
household are not named: their data is theirs. Then the audit trail of the person and the
household, oldest first. A new app's records appear without anyone adding them here.
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tillsammans.core.audit import audited_id
from tillsammans.core.lib.languages import language_names, listed
from tillsammans.core.models import AuditEvent
from tillsammans.people.models import Household, Person, PersonNameKey
from tillsammans.people.retention import pointing_at, records_about
from tillsammans.people.services import LISTED_PERMIT

# The most columns a table of the extract has on a landscape A4 page.
WIDEST = 8
# Not shown: the rows' own ids, search keys, summaries of what is shown, and the occupations'
# groups (the first digits of the occupations shown beside them, kept for the figures).
HIDDEN = {
    "id", "search_text", "public_id", "on_path", "path_ends_on", "path_ends_because",
    "wanted_group", "previous_group",
}  # fmt: skip


@dataclass(frozen=True)
class Section:
    title: str
    headers: list[str]
    rows: list[list[str]]

    @property
    def wide(self) -> bool:
        """Too many columns for the page's width: each record is shown as its own list of
        fields and values instead (``records``), so nothing runs off the page."""
        return len(self.headers) > WIDEST

    @property
    def records(self) -> list[list[tuple[str, str]]]:
        """Each row as the fields it holds a value in, with their values."""
        return [
            [(header, cell) for header, cell in zip(self.headers, row, strict=True) if cell]
            for row in self.rows
        ]


def _value(obj: models.Model, field: models.Field[Any, Any], subject: int) -> str:
    value = getattr(obj, field.name)
    if field.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{field.name}_display")())
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if field.name == "languages" and isinstance(value, list):
        return language_names(str(code) for code in value)
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return listed(str(item) for item in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, models.Model):
        if isinstance(value, Person):
            return _("this person") if value.pk == subject else _("another person")
        return str(value)
    if isinstance(value, bytes | memoryview):
        return _("a file")
    if field.name == "source" and value == LISTED_PERMIT:
        return _("allocation list")  # a permit read from the allocation list, not a file
    return str(value)


def _fields(model: type[models.Model], skip: set[str]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in HIDDEN | skip and not isinstance(field, models.BinaryField)
    ]


def _own(obj: models.Model, title: str, skip: set[str], subject: int) -> Section:
    fields = _fields(type(obj), skip)
    return Section(
        title,
        [_("Field"), _("Value")],
        [[capfirst(str(f.verbose_name)), _value(obj, f, subject)] for f in fields],
    )


def _person_fields(model: type[models.Model]) -> list[str]:
    return [name for found, name in pointing_at(Person) if found is model]


def _rows(
    model: type[models.Model], lookup: str, target: type[models.Model], person: Person
) -> Any:
    """The rows of ``model`` about the person: through ``lookup`` to the person, or to their
    household; a household's record that is about another of its members (directly, or
    through the record it hangs on) is that member's, not this person's."""
    obj = person if target is Person else person.household
    rows = model._default_manager.filter(**{lookup: obj})
    if target is Household:
        others = [(model, "")]
        if "__" in lookup:
            via = lookup.split("__", 1)[0]
            related = model._meta.get_field(via).related_model
            if isinstance(related, type):
                others.append((related, f"{via}__"))
        for found_in, prefix in others:
            for other in _person_fields(found_in):
                rows = rows.filter(
                    Q(**{f"{prefix}{other}__isnull": True}) | Q(**{f"{prefix}{other}": person})
                )
    return rows


def _gathered(person: Person) -> tuple[list[Section], dict[str, set[str]]]:
    """What is held about ``person``, section by section, and the audit ids of every record
    shown (their reads and writes belong in the trail)."""
    household = person.household
    found = [
        _own(person, _("The person"), {"household"}, person.pk),
        _own(household, _("The household"), set(), person.pk),
    ]
    ids: dict[str, set[str]] = {}
    for shown in (person, household):
        ids.setdefault(shown._meta.label_lower, set()).add(audited_id(shown))
    whose: dict[type[models.Model], str] = {
        Person: _("the person's"),
        Household: _("the household's"),
    }
    # A model reached several ways (a referral of the person, of their delivery, of their
    # household) is one section: each row once, under the first way it was found.
    gathered: dict[type[models.Model], tuple[type[models.Model], str, dict[Any, Any]]] = {}
    for model, lookup, target in records_about():
        if model is PersonNameKey:
            continue
        rows = list(_rows(model, lookup, target, person).distinct())
        if not rows:
            continue
        _first, _via, kept = gathered.setdefault(model, (target, lookup, {}))
        kept.update((row.pk, row) for row in rows if row.pk not in kept)
    for model, (target, lookup, kept) in gathered.items():
        rows = sorted(kept.values(), key=lambda row: row.pk)
        ids.setdefault(model._meta.label_lower, set()).update(audited_id(row) for row in rows)
        fields = _fields(model, {lookup.split("__", 1)[0]})
        found.append(
            Section(
                f"{capfirst(str(model._meta.verbose_name_plural))} ({whose[target]})",
                [capfirst(str(f.verbose_name)) for f in fields],
                [[_value(row, f, person.pk) for f in fields] for row in rows],
            )
        )
    return found, ids


def sections(person: Person) -> list[Section]:
    """What is held about ``person``, section by section."""
    return _gathered(person)[0]


def audit_trail(person: Person, ids: dict[str, set[str]] | None = None) -> Section:
    """Who read or changed the person's data (the person, the household, each record about
    them), and when."""
    if ids is None:
        ids = _gathered(person)[1]
    about = Q()
    for object_type, object_ids in ids.items():
        about |= Q(object_type=object_type, object_id__in=sorted(object_ids))
    events = AuditEvent.objects.filter(about).order_by("at", "id")
    return Section(
        _("Who read or changed the data, and when"),
        [_("When"), _("Who"), _("Organisation"), _("Action"), _("What")],
        [
            [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                event.actor_email or _("the system"),
                event.organisation_name,
                str(event.get_action_display()),
                event.described(),
            ]
            for event in AuditEvent.name_mentions(list(events))
        ],
    )


def html(person: Person, language: str, *, asked_on: dt.date) -> str:
    """The extract as a printable page in ``language``."""
    with translation.override(language):
        gathered, ids = _gathered(person)
        return render_to_string(
            "privacy/extract_pdf.html",
            {
                "person": person,
                "sections": gathered,
                "trail": audit_trail(person, ids),
                "asked_on": asked_on,
                "made_on": timezone.localdate(),
                "language": language,
                "title": _("Register extract"),
            },
        )
