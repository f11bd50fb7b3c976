"""Reception's background work: a long allocation list is imported by the worker
(``core.background``), and an upload that was checked and never committed, which holds
personal data, is deleted once it expires, not only when the next one arrives
(``core.schedule``)."""

import datetime as dt

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillsammans.core import access
from tillsammans.core.background import Outcome, Progress, RowsRefused, finish, handler
from tillsammans.core.errors import ServiceError
from tillsammans.core.models import BackgroundJob
from tillsammans.core.schedule import periodic

from .error_codes import ReceptionErrorCode as Code
from .import_services import ImportRejected, pending_import_check, pending_import_commit
from .models import PendingImport

KIND = "reception.allocations_import"
TITLE = gettext_lazy("Import of the allocation list %(file)s")
CHECK = "reception.allocations_check"
CHECK_TITLE = gettext_lazy("Check of the allocation list %(file)s")
# A table of thousands of households helps nobody check a file; the counts say the rest.
HOUSEHOLDS_SHOWN = 300


def _pending(job: BackgroundJob) -> PendingImport:
    try:
        return access.get_pending_import_for_user(job.created_by, job.params["pending"])
    except Http404 as exc:  # an upload that expired, or is no longer theirs
        raise ServiceError(
            Code.IMPORT_EXPIRED, _("The upload is too old to import. Upload the file again.")
        ) from exc


@handler(CHECK)
def allocations_check(job: BackgroundJob, progress: Progress) -> Outcome:
    """Check a long allocation list as the preview does, and keep what the preview shows;
    the job then leads to the preview, with its Import button."""
    pending = _pending(job)
    url = reverse("allocation_import_preview", args=[pending.public_id])
    try:
        pending_import_check(
            actor=job.created_by, pending=pending, shown=HOUSEHOLDS_SHOWN, progress=progress,
            then=lambda _pending: finish(job, Outcome(url=url)),
        )  # fmt: skip
    except ImportRejected as exc:
        # The file cannot be imported: it is not kept for a preview nobody will see.
        PendingImport.objects.filter(pk=pending.pk, batch=None).delete()
        raise RowsRefused(exc.code, exc.message, exc.preview.errors) from exc
    return Outcome(url=url)


@handler(KIND)
def allocations_import(job: BackgroundJob, progress: Progress) -> Outcome:
    """Commit the kept upload the job names, as its user would on the preview page; the job
    is marked done in the transaction that stores the households, so a retry imports
    nothing twice."""
    url = reverse("allocation_list")
    pending = _pending(job)
    try:
        pending_import_commit(
            actor=job.created_by, pending=pending, progress=progress,
            then=lambda _batch: finish(job, Outcome(url=url)),
        )  # fmt: skip
    except ImportRejected as exc:
        raise RowsRefused(exc.code, exc.message, exc.preview.errors) from exc
    return Outcome(url=url)


@periodic("delete_expired_uploads", every=dt.timedelta(hours=1))
def delete_expired_uploads() -> str:
    deleted, _kinds = PendingImport.objects.filter(expires_at__lt=timezone.now()).delete()
    return f"{deleted} expired uploads deleted"
