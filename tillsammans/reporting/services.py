"""Writes for the annual report: the coordinator's texts, each partner's section, quotes with
the consent of the person quoted, photos with their credit, and publishing a frozen edition."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access, files
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction, StoredFile
from tillsammans.partnership.models import Agreement, Organisation, Party

from .models import AnnualNarrative, AnnualReport, Edition, Quote, ReportPhoto

REPORT_TEXTS = (
    "tagline_sv", "tagline_en", "intro_sv", "intro_en", "background_sv", "background_en",
    "common_goal_sv", "common_goal_en", "collaborators_sv", "collaborators_en", "funding_sv",
    "funding_en",
)  # fmt: skip
NARRATIVE_TEXTS = ("headline_sv", "headline_en", "text_sv", "text_en")


def _check_coordinator(actor: Any, agreement: Agreement) -> None:
    if not access.can_manage_agreement(actor, agreement):
        raise PermissionDenied(_("Only the coordinator writes the report's common parts."))


def _party(agreement: Agreement, organisation: Organisation) -> Party:
    party = agreement.party_set.filter(organisation=organisation).first()
    if party is None:
        raise ServiceError(
            "not_party",
            _("%(organisation)s is not party to the agreement.")
            % {"organisation": organisation.name},
        )
    return party


def _check_section(actor: Any, agreement: Agreement, organisation: Organisation | None) -> None:
    """The report as a whole is the coordinator's; a partner's section is also its admin's."""
    if organisation is None:
        _check_coordinator(actor, agreement)
    elif not access.can_write_for_party(actor, _party(agreement, organisation)):
        raise PermissionDenied(_("You can only write your own organisation's part."))


def report_texts_save(*, actor: Any, agreement: Agreement, year: int, **texts: str) -> AnnualReport:
    _check_coordinator(actor, agreement)
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            agreement=agreement, year=year
        )
        changed = [
            key for key in REPORT_TEXTS if getattr(report, key) != texts.get(key, "").strip()
        ]
        for key in REPORT_TEXTS:
            setattr(report, key, texts.get(key, "").strip())
        report.updated_by = actor
        report.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=agreement,
            summary=gettext_noop("annual report %(year)s of %(agreement)s: %(fields)s"),
            params={
                "year": year,
                "agreement": agreement.name,
                "fields": field_names(AnnualReport, changed),
            },
        )
    return report


def narrative_save(
    *, actor: Any, agreement: Agreement, organisation: Organisation, year: int, **texts: str
) -> AnnualNarrative:
    _check_section(actor, agreement, organisation)
    with transaction.atomic():
        narrative, created = AnnualNarrative.objects.select_for_update().get_or_create(
            agreement=agreement, organisation=organisation, year=year
        )
        for key in NARRATIVE_TEXTS:
            setattr(narrative, key, texts.get(key, "").strip())
        narrative.updated_by = actor
        narrative.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=narrative,
            summary=gettext_noop("annual report text %(year)s of %(organisation)s"),
            params={"year": year, "organisation": organisation.name},
        )
    return narrative


def quote_add(
    *, actor: Any, agreement: Agreement, year: int, organisation: Organisation | None,
    text_sv: str, text_en: str, said_by_sv: str, said_by_en: str, consent_on: dt.date,
    consent: bool,
) -> Quote:  # fmt: skip
    """A quote is published only with the consent of the person quoted, recorded with the
    day it was given; it is never written for someone."""
    _check_section(actor, agreement, organisation)
    if not consent:
        raise ServiceError(
            "consent", _("A quote is published only when the person quoted has agreed.")
        )
    if not text_sv.strip() or not said_by_sv.strip():
        raise ServiceError("text", _("Write the quote and who said it."))
    with transaction.atomic():
        quote = Quote.objects.create(
            agreement=agreement, year=year, organisation=organisation, text_sv=text_sv.strip(),
            text_en=text_en.strip(), said_by_sv=said_by_sv.strip(),
            said_by_en=said_by_en.strip(), consent_on=consent_on, consent_recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("quote for the annual report %(year)s, consent given %(day)s"),
            params={"year": year, "day": consent_on},
        )
    return quote


def quote_delete(*, actor: Any, quote: Quote) -> None:
    _check_section(actor, quote.agreement, quote.organisation)
    with transaction.atomic():
        quote.delete()
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=quote.agreement,
            summary=gettext_noop("quote removed from the annual report %(year)s"),
            params={"year": quote.year},
        )


def photo_add(
    *, actor: Any, agreement: Agreement, year: int, organisation: Organisation | None,
    upload: UploadedFile, caption_sv: str, caption_en: str, credit: str, consent: bool,
) -> ReportPhoto:  # fmt: skip
    _check_section(actor, agreement, organisation)
    if not consent:
        raise ServiceError(
            "consent",
            _("A picture is published only when everyone recognisable in it has agreed."),
        )
    if not credit.strip():
        raise ServiceError("credit", _("Say who took the picture."))
    if files.sniff(upload) not in files.IMAGES:
        raise ServiceError("file_kind", _("The file is not a PNG or JPEG picture."))
    with transaction.atomic():
        photo = ReportPhoto.objects.create(
            agreement=agreement, year=year, organisation=organisation,
            file=files.store(upload, actor=actor), caption_sv=caption_sv.strip(),
            caption_en=caption_en.strip(), credit=credit.strip(),
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("photo for the annual report %(year)s by %(credit)s"),
            params={"year": year, "credit": credit.strip()},
        )
    return photo


def photo_delete(*, actor: Any, photo: ReportPhoto) -> None:
    """The photo leaves the draft; a published edition that shows it keeps it."""
    _check_section(actor, photo.agreement, photo.organisation)
    with transaction.atomic():
        stored = photo.file
        photo.delete()
        if not Edition.files.through.objects.filter(storedfile_id=stored.pk).exists():
            stored.delete()
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=photo.agreement,
            summary=gettext_noop("photo removed from the annual report %(year)s"),
            params={"year": photo.year},
        )


def edition_publish(
    *, actor: Any, agreement: Agreement, year: int,
    render: Callable[[str], tuple[str, list[StoredFile]]],
    pdf: Callable[[str, str], bytes] | None = None,
    then: Callable[[Edition], None] | None = None,
) -> Edition:  # fmt: skip
    """Freeze the report as it reads now, in Swedish and English, as the next edition.
    ``render(language)`` gives the report's HTML and the pictures it shows; ``pdf(html,
    language)``, if given, its PDF, kept with the edition. ``then`` runs in the transaction
    that publishes (a background job marks itself done there)."""
    _check_coordinator(actor, agreement)
    html_sv, pictures = render("sv")
    html_en, _pictures = render("en")
    pdfs = {"sv": pdf(html_sv, "sv"), "en": pdf(html_en, "en")} if pdf is not None else {}
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)  # one number at a time
        last = Edition.objects.filter(agreement=agreement, year=year).aggregate(n=Max("number"))
        edition = Edition.objects.create(
            agreement=agreement, year=year, number=(last["n"] or 0) + 1, published_by=actor,
            html_sv=html_sv, html_en=html_en,
        )  # fmt: skip
        edition.files.set(pictures)
        for language, made in pdfs.items():
            edition_pdf(edition=edition, language=language, pdf=made)
        if then is not None:
            then(edition)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop(
                "annual report %(year)s of %(agreement)s published, edition %(n)s"
            ),
            params={"year": year, "agreement": agreement.name, "n": edition.number},
        )
    return edition


def edition_pdf(*, edition: Edition, language: str, pdf: bytes) -> StoredFile:
    """Keep an edition's PDF once made: an edition never changes, nor does its PDF."""
    field = "pdf_sv" if language == "sv" else "pdf_en"
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        existing = getattr(locked, field)
        if existing is not None:
            return existing
        stored = StoredFile.objects.create(
            name=f"arsredovisning-{edition.year}-{edition.number}-{language}.pdf",
            content_type=files.PDF, size=len(pdf), content=pdf,
        )  # fmt: skip
        setattr(locked, field, stored)
        locked.save(update_fields=[field])
    return stored
