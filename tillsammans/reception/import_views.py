"""Upload, preview and commit of an allocation list (coordinators only)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tillsammans.core import access, background
from tillsammans.core.decorators import coordinator_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.forms import TableFileField
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.tables import rows_about

from . import background as allocations_job
from .import_services import (
    CODE_DONE,
    ImportRejected,
    pending_import_commit,
    pending_import_create,
    pending_rows_about,
    pending_summary,
)
from .imports import COLUMNS, FILE_LINE, ImportPreview, PreviewSummary, parse_allocation_file
from .models import PendingImport

HOUSEHOLDS_SHOWN = allocations_job.HOUSEHOLDS_SHOWN


class AllocationFileForm(forms.Form):
    file = TableFileField(
        testid="import-file",
        error_messages={
            "too_large": gettext_lazy(
                "The file is too large (%(size)s); the limit is %(limit)s. Split the list."
            )
        },
        label=gettext_lazy("Allocation list (CSV or XLSX)"),
        help_text=gettext_lazy(
            "The list from Migrationsverket, one row per person. Nothing is stored until you "
            "have seen the preview and pressed Import."
        ),
    )


def _render_preview(
    request: HttpRequest,
    preview: ImportPreview | PreviewSummary,
    file_name: str,
    pending: PendingImport | None = None,
) -> HttpResponse:
    shown = preview.households[:HOUSEHOLDS_SHOWN]
    return render(
        request,
        "reception/import_preview.html",
        {
            "title": _("Preview of %(file)s") % {"file": isolate_text(file_name)},
            "file_name": file_name,
            "preview": preview,
            "file_line": FILE_LINE,
            "pending": pending,
            "households_shown": shown,
            "households_hidden": max(0, preview.household_count - len(shown)),
            "form": AllocationFileForm(),
        },
        status=200 if preview.ok else 400,
    )


@coordinator_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = AllocationFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()  # the field has checked its size
        file_name = upload.name or ""
        if rows_about(data) >= settings.ROWS_IN_BACKGROUND_FROM:
            # A long file is checked by the worker; its job leads to the preview.
            kept = pending_import_create(actor=request.user, file_name=file_name, data=data)
            job = background.start(
                actor=request.user, kind=allocations_job.CHECK,
                title=allocations_job.CHECK_TITLE % {"file": file_name},
                params={"pending": str(kept.public_id), "back": reverse("allocation_import")},
            )  # fmt: skip
            return redirect("job_detail", job.public_id)
        preview = parse_allocation_file(file_name, data)
        pending = None
        if preview.ok:
            pending = pending_import_create(actor=request.user, file_name=file_name, data=data)
        return _render_preview(request, preview, file_name, pending)
    return render(
        request,
        "reception/import_upload.html",
        {
            "form": form,
            "title": _("Import an allocation list"),
            "required_columns": [c.names[0] for c in COLUMNS if c.required],
            "optional_columns": [c.names[0] for c in COLUMNS if not c.required],
        },
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The preview of a long file the worker checked, with its Import button."""
    pending = access.get_pending_import_for_user(request.user, token)
    if pending.batch_id is not None:
        messages.info(request, _("This file has already been imported."))
        return redirect("allocation_list")
    summary = pending_summary(pending)
    if summary is None:
        raise Http404
    return _render_preview(request, summary, pending.file_name, pending)


@coordinator_required
@require_POST
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    pending = access.get_pending_import_for_user(request.user, token)
    if pending_rows_about(pending) >= settings.ROWS_IN_BACKGROUND_FROM:
        job = background.start(
            actor=request.user, kind=allocations_job.KIND,
            title=allocations_job.TITLE % {"file": pending.file_name},
            params={"pending": str(pending.public_id), "back": reverse("allocation_import")},
        )  # fmt: skip
        return redirect("job_detail", job.public_id)
    try:
        batch = pending_import_commit(actor=request.user, pending=pending)
    except ImportRejected as exc:
        return _render_preview(request, exc.preview, pending.file_name)
    except ServiceError as exc:
        if exc.code == CODE_DONE:
            messages.info(request, str(exc.message))
            return redirect("allocation_list")
        messages.error(request, str(exc.message))
        return redirect("allocation_import")
    messages.success(
        request,
        _("%(households)s households with %(persons)s persons were imported from %(file)s.")
        % {"households": batch.households, "persons": batch.rows, "file": batch.file_name},
    )
    return redirect("allocation_list")
