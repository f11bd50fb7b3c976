"""The pages of background work: a job's progress and result, its retry, its file."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import background
from .decorators import member_required
from .lib.downloads import content_disposition
from .models import BackgroundJob
from .viewlib import HtmxHttpRequest, call_service_or_message


def _job(request: HttpRequest, public_id: str) -> BackgroundJob:
    job = background.job_for_user(request.user, public_id)
    if job is None:
        raise Http404
    return job


@member_required
def job_detail(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """A job's page: a progress bar that follows the work while it runs (htmx asks for the
    bar again every two seconds; without script, the page has a button to look again), then
    the result or the error and a way to retry."""
    job = _job(request, public_id)
    context = {
        "job": job,
        "stalled": background.stalled(job),
        "worker_alive": background.worker_alive(),
        "title": job.title,
    }
    if request.htmx:
        return render(request, "core/job_detail.html#progress", context)
    return render(request, "core/job_detail.html", context)


@member_required
@require_POST
def job_retry(request: HttpRequest, public_id: str) -> HttpResponse:
    job = _job(request, public_id)
    if call_service_or_message(request, background.retry, actor=request.user, job=job):
        messages.success(request, _("The work was started again."))
    return redirect("job_detail", job.public_id)


@member_required
def job_file(request: HttpRequest, public_id: str) -> HttpResponse:
    """The file a job made for its user (the export itself was audited when it was made)."""
    job = _job(request, public_id)
    if not job.has_output or not background.may_download(request.user, job):
        raise Http404
    response = HttpResponse(background.job_output(job), content_type=job.output_type)
    response["Content-Disposition"] = content_disposition(job.output_name)
    response["Cache-Control"] = "private, no-store"
    return response
