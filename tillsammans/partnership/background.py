"""The partnership's periodic job (``core.schedule``): an invitation never used holds a
person's name and address; it is deleted a while after it expired or was withdrawn."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.models import AuditAction
from tillsammans.core.schedule import periodic

from .models import Invitation

# How long an unused invitation stays listed for its organisation's administrators.
KEPT = dt.timedelta(days=30)


@periodic("delete_unused_invitations", every=dt.timedelta(days=1))
def delete_unused_invitations() -> str:
    before = timezone.now() - KEPT
    unused = Invitation.objects.filter(accepted_at=None).filter(
        Q(expires_at__lt=before) | Q(withdrawn_at__lt=before)
    )
    deleted, _kinds = unused.delete()
    if deleted:
        audit_record(
            actor=None, action=AuditAction.DELETE, object_type="partnership.invitation",
            summary=gettext_noop("%(count)s unused invitations deleted, 30 days after they ended"),
            params={"count": deleted},
        )  # fmt: skip
    return f"{deleted} unused invitations deleted"
