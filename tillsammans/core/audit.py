"""The audit log: every write, and every read of a person, leaves one event."""

from collections.abc import Iterable
from typing import Any

from .models import AuditAction, AuditEvent

# A page of proposals or a long search can show thousands of persons; insert in slices.
BATCH_SIZE = 1000


def _org_name(user: Any) -> str:
    membership = getattr(user, "membership", None)
    return membership.organisation.name if membership is not None else ""


def _event(
    *, actor: Any, action: str, object_type: str, object_id: str, summary: str
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        organisation_name=_org_name(actor) if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
    )


def _public_id(obj: Any) -> str:
    return str(getattr(obj, "public_id", None) or obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or _public_id(obj)
    event = _event(
        actor=actor, action=action, object_type=object_type, object_id=object_id, summary=summary
    )
    event.save()
    return event


def audit_view(*, actor: Any, obj: Any, summary: str = "") -> AuditEvent:
    return audit_record(actor=actor, action=AuditAction.VIEW, obj=obj, summary=summary)


def audit_views(
    *, actor: Any, objs: Iterable[Any], summary: str = "", object_type: str = ""
) -> int:
    """One VIEW event per object a page shows, written together: a list of fifty households
    reads each of their persons, in one INSERT (a few for a very long list), not one each.

    ``objs`` are model instances, or rows with a ``public_id`` when ``object_type`` is given.
    The same object twice on one page is one read.
    """
    events: dict[tuple[str, str], AuditEvent] = {}
    for obj in objs:
        kind = object_type or obj._meta.label_lower
        object_id = _public_id(obj)
        if (kind, object_id) not in events:
            events[kind, object_id] = _event(
                actor=actor,
                action=AuditAction.VIEW,
                object_type=kind,
                object_id=object_id,
                summary=summary,
            )
    AuditEvent.objects.bulk_create(events.values(), batch_size=BATCH_SIZE)
    return len(events)
