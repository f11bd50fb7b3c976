"""No lost updates (issue 15): a form carries the version of the row it was filled from, and a
save of an older version is refused, saying who changed the row, when and what, instead of
silently overwriting it. The user's form is shown again with what they typed, now carrying the
current version: saving it again keeps theirs, knowingly.

The version is the row's ``updated_at``, which every save of a ``TimeStampedModel`` sets. A
service compares it with the row it has locked (``refuse_stale``), so two saves at the same
moment cannot both pass.
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .audit import audited_id
from .errors import ServiceError
from .models import AuditAction, AuditEvent

STALE = "changed_meanwhile"


def version_of(obj: Any) -> str:
    return obj.updated_at.isoformat()


class VersionField(forms.CharField):
    """The version a form was filled from, hidden; empty for a new object."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=40, **kwargs)


class StaleError(ServiceError):
    """The row changed after the form was filled; ``current`` is its version now."""

    def __init__(self, message: str, current: str) -> None:
        super().__init__(STALE, message)
        self.current = current


def refuse_stale(locked: Any, version: str | None) -> None:
    """Refuse a save made from ``version`` when the locked row ``locked`` is newer. Without a
    version (a service called by other code) nothing is compared."""
    if not version or version == version_of(locked):
        return
    change = (
        AuditEvent.objects.filter(
            object_type=locked._meta.label_lower, object_id=audited_id(locked)
        )
        .exclude(action__in=(AuditAction.VIEW, AuditAction.EXPORT, AuditAction.LOGIN))
        .order_by("-at", "-id")
        .first()
    )
    when = date_format(timezone.localtime(locked.updated_at), "DATETIME_FORMAT")
    if change is None:
        message = _(
            "This was changed at %(time)s, after you opened it. Nothing of yours was saved: the "
            "form shows what you typed; compare it with the page as it is now, and save again "
            "to keep yours."
        ) % {"time": when}
    else:
        message = _(
            "%(who)s changed this at %(time)s (%(what)s), after you opened it. Nothing of yours "
            "was saved: the form shows what you typed; compare it with the page as it is now, "
            "and save again to keep yours."
        ) % {"who": change.actor_email or _("someone"), "time": when, "what": change.described()}
    raise StaleError(message, version_of(locked))
