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
from .import_services import ImportRejected, pending_import_commit
from .models import PendingImport

KIND = "reception.allocations_import"
TITLE = gettext_lazy("Import of the allocation list %(file)s")


@handler(KIND)
def allocations_import(job: BackgroundJob, progress: Progress) -> Outcome:
    """Commit the kept upload the job names, as its user would on the preview page; the job
    is marked done in the transaction that stores the households, so a retry imports
    nothing twice."""
    url = reverse("allocation_list")
    try:
        pending = access.get_pending_import_for_user(job.created_by, job.params["pending"])
    except Http404 as exc:  # an upload that expired, or is no longer theirs
        raise ServiceError(
            Code.IMPORT_EXPIRED, _("The upload is too old to import. Upload the file again.")
        ) from exc
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
