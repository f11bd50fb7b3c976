"""Downloads of lists that can be long (issue 15, ADR 35): a list of a few thousand rows or
more (``ROWS_IN_BACKGROUND_FROM``) is written by the worker, and the user follows it on the
job's page; a shorter one is the response itself.

An app registers a list with ``@table("app.name")``: a function of the user and the list's
arguments that answers ``Http404`` when the list is not theirs, and returns the rows with
the persons they show. The page's view calls ``download``; the worker calls the same
function again, as the same user, so a list made in the background shows exactly what the
user may see when it is made. Reading the persons is audited when the file is made.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .background import MadeFile, Outcome, Progress, finish, handler, start
from .errors import ServiceError
from .lib.downloads import CSV, XLSX, content_disposition, csv_bytes, xlsx_bytes
from .models import BackgroundJob


def _nothing_to_audit(actor: Any) -> None:
    """A list that shows no person."""


@dataclass
class Table:
    """A list to download: its file name, its sheet, its header and rows, and ``audit``,
    which records the reading of the persons it shows by ``actor`` once the file is made."""

    name: str
    sheet: str
    header: Sequence[object]
    rows: list[Sequence[object]]
    audit: Callable[[Any], None] = field(default=_nothing_to_audit)


Builder = Callable[[Any, dict[str, Any]], Table]
TABLES: dict[str, Builder] = {}
# Who may still fetch a list's file once it is made: the role the list needs.
WHO: dict[str, Callable[[Any], bool]] = {}
KIND = "core.table_download"
TITLE = gettext_lazy("Download of %(file)s")


def table(name: str, *, who: Callable[[Any], bool]) -> Callable[[Builder], Builder]:
    """Register a list that can be downloaded (see the module's docstring); ``who`` is asked
    again when its file is fetched (a coordinator who has since lost the role gets a 404)."""

    def register(builder: Builder) -> Builder:
        if name in TABLES and TABLES[name] is not builder:
            raise RuntimeError(f"two lists named {name!r}")
        TABLES[name] = builder
        WHO[name] = who
        return builder

    return register


FORMATS = ("xlsx", "csv")


def _name(made: Table, form: str) -> str:
    return f"{made.name.removesuffix('.xlsx')}.{form}"


def _file(made: Table, form: str) -> MadeFile:
    """The list as a workbook, or as a CSV (``form``), under its name with that ending."""
    if form == "csv":
        return MadeFile(_name(made, form), CSV, csv_bytes(made.header, made.rows))
    return MadeFile(_name(made, form), XLSX, xlsx_bytes(made.sheet, made.header, made.rows))


def download(
    request: HttpRequest, name: str, args: dict[str, Any], form: str = "xlsx"
) -> HttpResponse:
    """The list ``name`` as an XLSX (or CSV) download, or, when it is long, a job that makes
    it."""
    form = form if form in FORMATS else "xlsx"
    made = TABLES[name](request.user, args)
    if len(made.rows) >= settings.ROWS_IN_BACKGROUND_FROM:
        job = start(
            actor=request.user, kind=KIND, title=TITLE % {"file": _name(made, form)},
            params={"table": name, "args": args, "format": form},
        )  # fmt: skip
        return redirect("job_detail", job.public_id)
    file = _file(made, form)
    response = HttpResponse(file.content, content_type=file.content_type)
    made.audit(request.user)
    response["Content-Disposition"] = content_disposition(file.name)
    return response


def _may_download(user: Any, job: BackgroundJob) -> bool:
    rule = WHO.get(job.params.get("table", ""))
    return rule is not None and rule(user)


@handler(KIND, may_download=_may_download)
def table_download(job: BackgroundJob, progress: Progress) -> Outcome:
    """Make a long list's file for the user who asked, as that user."""
    builder: Builder | None = TABLES.get(job.params.get("table", ""))
    if builder is None:
        raise ServiceError("gone", _("This list can no longer be downloaded."))
    progress(0, 2, _("Gathering the rows"))
    try:
        made = builder(job.created_by, job.params.get("args", {}))
    except Http404:
        raise ServiceError("gone", _("This list is no longer yours to see.")) from None
    progress(1, 2, _("Writing the workbook"))
    # Written before the transaction, which only audits the reading and keeps the file.
    outcome = Outcome(file=_file(made, job.params.get("format", "xlsx")))
    with transaction.atomic():
        made.audit(job.created_by)
        finish(job, outcome)
    return outcome
