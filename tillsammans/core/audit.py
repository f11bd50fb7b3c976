"""The audit log: every write, and every read of a person, leaves one event."""

from typing import Any

from .models import AuditAction, AuditEvent


def _org_name(user: Any) -> str:
    membership = getattr(user, "membership", None)
    return membership.organisation.name if membership is not None else ""


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
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        organisation_name=_org_name(actor) if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
    )


def audit_view(*, actor: Any, obj: Any, summary: str = "") -> AuditEvent:
    return audit_record(actor=actor, action=AuditAction.VIEW, obj=obj, summary=summary)
