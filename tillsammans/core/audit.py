"""The audit log: every write, and every read of a person, leaves one event.

What an event says is written in English and read in the reader's language. A fixed text is
marked with ``gettext_noop`` (``summary=gettext_noop("job seeker page")``); a text with values
names them (``summary=gettext_noop("moved out %(household)s on %(on)s")``,
``params={"household": ..., "on": ...}``), so the values stay as they were and the sentence is
translated around them when the log is read (``AuditEvent.described``). A value is data (a
site's name, a reference, a date as ``isoformat()``, a number) and is never translated; the
words around it are. A value that is itself words, a choice (``ExitReason.OWN_HOUSING``) or
the names of fields (``field_names(Household, changed)``), is kept as its English label and
read in the reader's language too: "flyttade ut H-A (Eget boende)", never "(own_housing)".
tests/test_audit_texts.py holds every caller to this.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation

from .models import CONTEXT, MENTION, WORDS, AuditAction, AuditEvent, read_param


@dataclass(frozen=True)
class Words:
    """English labels a reader reads in their own language, joined by commas (by " · " when
    a label holds a comma of its own, as a consent's scopes do)."""

    texts: tuple[str, ...]


def _english(label: Any) -> str:
    """A label as it is kept: its English text, and a label with a context (``pgettext_lazy``:
    "other" as a cost, "Other" as a reason for leaving) with its context, so that it is read
    in the reader's language with the same context (``core.models.read_param``)."""
    args = getattr(label, "_args", None)
    if isinstance(args, tuple) and len(args) == 2 and all(isinstance(a, str) for a in args):
        return f"{args[0]}{CONTEXT}{args[1]}"
    with translation.override(None):
        return str(label)


def field_names(model: type[models.Model], names: Iterable[str]) -> Words:
    """The labels of a model's fields (``cost_staff`` is read "personal")."""
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # not a field of its own (a report's comment)
            labels.append(name)
            continue
        labels.append(_english(getattr(field, "verbose_name", name)))
    return Words(tuple(labels))


def choice_labels(choices: type[models.Choices], values: Iterable[str]) -> Words:
    """The labels of stored choices (a consent's scopes), in the order given."""
    by_value = {member.value: member.label for member in choices}
    return Words(tuple(_english(by_value.get(value, value)) for value in values))


# A page of proposals or a long search can show thousands of persons; insert in slices.
BATCH_SIZE = 1000


def _value(value: Any) -> str | int | dict[str, list[str]]:
    if isinstance(value, models.Model) and getattr(value, "audit_by_public_id", False):
        return {MENTION: [value._meta.label_lower, str(getattr(value, "public_id", ""))]}
    if isinstance(value, Words):
        return {WORDS: list(value.texts)}
    if isinstance(value, enum.Enum) and hasattr(value, "label"):
        return {WORDS: [_english(value.label)]}
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def stored_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Values as an event (or a disclosure) keeps them: numbers, text, and words to
    translate when read."""
    return {name: _value(value) for name, value in params.items()}


def _written(summary: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """What an event says: the English text, and its template and values when it has any."""
    if params is None:
        return {"summary": summary[:500], "summary_template": "", "summary_params": {}}
    values = stored_params(params)
    english = {name: read_param(value, str) for name, value in values.items()}
    return {
        "summary": (summary % english)[:500],
        "summary_template": summary[:500],
        "summary_params": values,
    }


def who_acted(actor: Any) -> dict[str, Any]:
    """Who acted, as the event keeps it: the user, and their address and organisation as
    they were then; nobody for a command run on the server."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_email": "", "organisation_name": ""}
    membership = getattr(actor, "membership", None)
    return {
        "actor": actor,
        "actor_email": actor.email,
        "organisation_name": membership.organisation.name if membership is not None else "",
    }


def audited_id(obj: Any) -> str:
    """The id the audit log names an object by: its public id, else its primary key."""
    return str(getattr(obj, "public_id", None) or obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    params: Mapping[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or audited_id(obj)
    event = AuditEvent(
        **who_acted(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        **_written(summary, params),
    )
    event.save()
    return event


def audit_view(
    *, actor: Any, obj: Any, summary: str = "", params: Mapping[str, Any] | None = None
) -> AuditEvent:
    return audit_record(
        actor=actor, action=AuditAction.VIEW, obj=obj, summary=summary, params=params
    )


def audit_views(
    *,
    actor: Any,
    objs: Iterable[Any],
    summary: str = "",
    object_type: str = "",
    params: Mapping[str, Any] | None = None,
) -> int:
    """One VIEW event per object a page shows, written together: a list of fifty households
    reads each of their persons, in one INSERT (a few for a very long list), not one each.

    ``objs`` are model instances, or rows with a ``public_id`` when ``object_type`` is given.
    The same object twice on one page is one read.
    """
    shown = dict.fromkeys((object_type or obj._meta.label_lower, audited_id(obj)) for obj in objs)
    who, written = who_acted(actor), _written(summary, params)
    events = [
        AuditEvent(**who, action=AuditAction.VIEW, object_type=kind, object_id=object_id, **written)
        for kind, object_id in shown
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    return len(events)


def audit_records(
    *,
    actor: Any,
    action: str,
    objs: Iterable[Any],
    summary: str = "",
    params: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
) -> int:
    """One event per object of a write that makes many at once (thirty deliveries recorded
    together), inserted together rather than one by one.

    ``params`` are the summary's values: one mapping for every object, or a function of the
    object when its values are its own (the household each delivery was for).
    """
    objs = list(objs)
    if callable(params):
        texts = [_written(summary, params(obj)) for obj in objs]
    else:
        texts = [_written(summary, params)] * len(objs)
    who = who_acted(actor)
    events = [
        AuditEvent(
            **who,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=audited_id(obj),
            **text,
        )
        for obj, text in zip(objs, texts, strict=True)
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    return len(events)
