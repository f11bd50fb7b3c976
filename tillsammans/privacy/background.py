"""The register extract as a PDF, made by the worker (``core.background``): it reads every
record about the person and their whole audit trail."""

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.background import MadeFile, Outcome, Progress, finish, handler
from tillsammans.core.disclosures import record_disclosure
from tillsammans.core.errors import ServiceError
from tillsammans.core.models import AuditAction, BackgroundJob, DisclosureBasis

from . import extract, review

KIND = "privacy.register_extract"


@handler(KIND, may_download=lambda user, _job: access.is_coordinator(user))
def register_extract(job: BackgroundJob, progress: Progress) -> Outcome:
    actor, language = job.created_by, job.params["language"]
    if not access.is_coordinator(actor):
        raise ServiceError("not_coordinator", _("Only a coordinator makes a register extract."))
    try:
        person = access.get_person_for_user(actor, job.params["person"])
    except Http404:
        raise ServiceError("gone", _("The person is no longer yours to see.")) from None
    asked_on = dt.date.fromisoformat(job.params["asked_on"])
    progress(0, 2, _("Gathering every record about the person"))
    page = extract.html(person, language, asked_on=asked_on)
    progress(1, 2, _("Laying out the pages"))
    from tillsammans.reporting.pdf import render  # WeasyPrint takes a moment to import

    pdf = render(page, "https://tillsammans.invalid/")
    made = Outcome(
        file=MadeFile(
            f"registerutdrag-{asked_on.isoformat()}-{language}.pdf", "application/pdf", pdf
        )
    )
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditAction.EXPORT, obj=person,
            summary=gettext_noop("register extract (%(language)s) asked for on %(asked_on)s"),
            params={"language": language, "asked_on": asked_on.isoformat()},
        )  # fmt: skip
        record_disclosure(
            actor=actor, persons=[person], recipient=gettext_noop("the person themself"),
            what=gettext_noop("register extract"), basis=DisclosureBasis.SUBJECT_ACCESS,
        )  # fmt: skip
        finish(job, made)
    return made


REVIEW = "privacy.log_review"


@handler(REVIEW)
def log_review(job: BackgroundJob, progress: Progress) -> Outcome:
    """Compute a month's review for the data protection officer, and keep it."""
    actor = job.created_by
    if not access.is_data_protection_officer(actor):
        raise ServiceError("not_dpo", _("Only the data protection officer reviews the audit log."))
    month = dt.date.fromisoformat(job.params["month"])
    url = reverse("log_review") + f"?month={month:%Y-%m}"
    review.compute(month, progress, then=lambda _findings: finish(job, Outcome(url=url)))
    return Outcome(url=url)
