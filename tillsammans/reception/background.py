"""Reception's periodic job (``core.schedule``): an upload that was checked and never
committed holds personal data; it is deleted once it expires, not only when the next one
arrives."""

import datetime as dt

from django.utils import timezone

from tillsammans.core.schedule import periodic

from .models import PendingImport


@periodic("delete_expired_uploads", every=dt.timedelta(hours=1))
def delete_expired_uploads() -> str:
    deleted, _kinds = PendingImport.objects.filter(expires_at__lt=timezone.now()).delete()
    return f"{deleted} expired uploads deleted"
