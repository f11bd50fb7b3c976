"""The state's payments imported by the worker (``core.background``): a statement of many
thousand rows takes longer to read and store than a page should wait."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillsammans.core import access
from tillsammans.core.background import (
    Outcome,
    Progress,
    RowsRefused,
    finish,
    handler,
    job_input,
)
from tillsammans.core.errors import ServiceError
from tillsammans.core.lib.dates import month_bounds
from tillsammans.core.models import BackgroundJob

from . import selectors, services
from .error_codes import FinanceErrorCode as Code

KIND = "finance.payments_import"
TITLE = gettext_lazy("Import of the state's payments %(month)s from %(file)s")


def page_url(year: int, month: int, agreement_id: str) -> str:
    return reverse("reconciliation_page", args=(year, month)) + f"?agreement={agreement_id}"


@handler(KIND)
def payments_import(job: BackgroundJob, progress: Progress) -> Outcome:
    """Import the job's file as its user would on the page; a file with errors is refused
    whole, with each row's error on the job's page."""
    actor, params = job.created_by, job.params
    year, month = params["year"], params["month"]
    if not access.is_coordinator(actor):
        raise ServiceError(
            Code.NOT_ALLOWED, _("Only a coordinator can import the state's payments.")
        )
    first, following = month_bounds(year, month)
    agreement, _choices = selectors.month_agreement(actor, first, following, params["agreement"])
    if agreement is None:
        raise ServiceError(
            Code.NO_AGREEMENT, _("The agreement this import was for is no longer yours to see.")
        )
    url = page_url(year, month, str(agreement.public_id))
    data = job_input(job)
    if not data:
        raise ServiceError(
            Code.FILE_HAS_ERRORS, _("The uploaded file is no longer kept. Upload it again.")
        )
    result = services.payments_import(
        actor=actor, agreement=agreement, year=year, month=month, file_name=job.input_name,
        data=data, progress=progress,
        then=lambda _file: finish(job, Outcome(url=url)),
    )  # fmt: skip
    if result.errors:
        raise RowsRefused(
            Code.FILE_HAS_ERRORS,
            _("The file has errors and nothing was imported. Correct them and upload it again."),
            result.errors,
        )
    return Outcome(url=url)
