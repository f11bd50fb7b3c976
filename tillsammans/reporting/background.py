"""The draft annual report's PDF, made by the worker (``core.background``): at national scale
the figures and the layout take longer than a page should wait."""

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.background import MadeFile, Outcome, Progress, finish, handler
from tillsammans.core.errors import ServiceError
from tillsammans.core.models import AuditAction, BackgroundJob, StoredFile
from tillsammans.partnership.models import Agreement

from . import annual_document as document
from . import services
from .annual import annual_report, year_has_records
from .models import Edition

KIND = "reporting.annual_pdf"


def _agreement(job: BackgroundJob) -> Agreement:
    """The agreement the job is about, if its maker still sees it."""
    try:
        return access.get_agreement_for_user(job.created_by, job.params["agreement"])
    except Http404:
        raise ServiceError(
            "gone", _("The agreement this report was about is no longer yours to see.")
        ) from None


@handler(KIND)
def annual_pdf(job: BackgroundJob, progress: Progress) -> Outcome:
    """The draft of an agreement's annual report as a PDF in one language, kept for the user
    who asked; its making is audited as an export in the transaction that keeps it."""
    actor, year, edition = job.created_by, job.params["year"], job.params["edition"]
    agreement = _agreement(job)
    if not year_has_records(year, timezone.localdate()):
        raise ServiceError(
            "no_data", _("There are no records for %(year)s to report.") % {"year": year}
        )
    progress(0, 3, _("Counting the year's figures"))
    figures = annual_report(agreement, year)
    progress(1, 3, _("Laying out the pages"))
    html = document.pdf_page(
        document.body(figures, edition, preview=True), document.title(figures, edition), edition
    )
    pdf = document.render_pdf(html)
    progress(2, 3, _("Keeping the file"))
    made = Outcome(
        file=MadeFile(f"arsredovisning-{year}-{edition}-utkast.pdf", "application/pdf", pdf)
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=agreement,
            summary=gettext_noop("annual report %(year)s (%(edition)s) as PDF"),
            params={"year": year, "edition": edition},
        )
        finish(job, made)
    return made


PUBLISH = "reporting.publish"


@handler(PUBLISH)
def publish(job: BackgroundJob, progress: Progress) -> Outcome:
    """Publish the next edition of an agreement's annual report: count the figures once for
    both languages, freeze the texts, lay out both PDFs, and publish all of it in one
    transaction that also marks the job done (a retry never publishes twice)."""
    actor, year = job.created_by, job.params["year"]
    agreement = _agreement(job)
    progress(0, 3, _("Counting the year's figures"))
    figures = annual_report(agreement, year)
    pictures = document.pictures_of(figures)

    def frozen(language: str) -> tuple[str, list[StoredFile]]:
        return document.body(figures, language, preview=False), pictures

    def laid_out(body: str, language: str) -> bytes:
        progress(1 if language == "sv" else 2, 3, _("Laying out the pages"))
        return document.render_pdf(
            document.pdf_page(body, document.title(figures, language), language)
        )

    def done(edition: Edition) -> None:
        url = reverse("annual_edition", args=[agreement.public_id, year, edition.number, "sv"])
        finish(job, Outcome(url=url))

    edition = services.edition_publish(
        actor=actor, agreement=agreement, year=year, render=frozen, pdf=laid_out, then=done
    )
    return Outcome(
        url=reverse("annual_edition", args=[agreement.public_id, year, edition.number, "sv"])
    )
