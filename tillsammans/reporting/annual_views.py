"""The annual added-value report of an agreement and year: the draft as it reads now, the
coordinator's and the partners' editors, quotes and photos, and the frozen editions with their
PDFs. Everything is reached through an agreement the user's organisation is party to."""

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from tillsammans.core import access, background
from tillsammans.core.audit import audit_record
from tillsammans.core.decorators import member_required
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.models import AuditAction, StoredFile
from tillsammans.core.viewlib import call_service
from tillsammans.partnership.models import Agreement, Organisation

from . import annual_document as document
from . import services
from .annual import (
    annual_report,
    parties_of_year,
    report_years,
    year_has_records,
)
from .background import KIND, PUBLISH
from .forms import NarrativeForm, PhotoForm, QuoteForm, ReportTextsForm
from .models import AnnualNarrative, AnnualReport, Edition, Quote, ReportPhoto

EDITIONS = ("sv", "en")


def agreement_report_years(agreement: Agreement, today: dt.date) -> list[int]:
    """The years of the agreement's period up to now that hold records, latest first."""
    last = min(agreement.ends_on or today, today).year
    period = set(range(agreement.starts_on.year, last + 1))
    return [year for year in report_years(today) if year in period]


def _agreement(request: HttpRequest, agreement_id: str, year: int) -> Agreement:
    """An agreement the user's organisation is party to, and a year of its period up to now."""
    agreement = access.get_agreement_for_user(request.user, agreement_id)
    today = timezone.localdate()
    if not agreement.starts_on.year <= year <= min(agreement.ends_on or today, today).year:
        raise Http404
    return agreement


def _without_data(request: HttpRequest, year: int) -> HttpResponse | None:
    """A year of the agreement without any records says so, rather than a report of zeros
    and "fewer than 5"."""
    if year_has_records(year, timezone.localdate()):
        return None
    return render(
        request,
        "reporting/annual_no_data.html",
        {"year": year, "title": _("No annual report for %(year)s") % {"year": year}},
        status=404,
    )


def _coordinated(request: HttpRequest, agreement_id: str, year: int) -> Agreement:
    agreement = _agreement(request, agreement_id, year)
    if not access.can_manage_agreement(request.user, agreement):
        raise Http404
    return agreement


def _writable_sections(request: HttpRequest, agreement: Agreement, year: int) -> list[Organisation]:
    """The sections the user may write: every party's for the coordinator, its own for a
    partner's admin."""
    own = access.writable_parties(request.user, agreement)
    return [
        organisation for organisation in parties_of_year(agreement, year) if organisation.id in own
    ]


@member_required
def annual_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for agreement in access.visible_agreements(request.user).prefetch_related("party_set"):
        years = agreement_report_years(agreement, today)
        editions = list(agreement.editions.order_by("-year", "-number"))
        writable = {year: bool(_writable_sections(request, agreement, year)) for year in years[:3]}
        rows.append(
            (
                agreement,
                [
                    (year, [e for e in editions if e.year == year], writable.get(year, False))
                    for year in years
                ],
            )
        )
    return render(
        request,
        "reporting/annual_index.html",
        {"rows": rows, "title": _("Annual reports")},
    )


@member_required
def annual(request: HttpRequest, agreement_id: str, year: int, edition: str) -> HttpResponse:
    """The report as it reads now, before it is published: for the partners to check."""
    if edition not in EDITIONS:
        raise Http404
    agreement = _agreement(request, agreement_id, year)
    if (no_data := _without_data(request, year)) is not None:
        return no_data
    figures = annual_report(agreement, year)
    return render(
        request,
        "reporting/annual.html",
        {
            "body": document.body(figures, edition, preview=True),
            "agreement": agreement,
            "year": year,
            "edition": edition,
            "preview": True,
            "can_manage": access.can_manage_agreement(request.user, agreement),
            "sections": _writable_sections(request, agreement, year),
            "title": document.title(figures, edition),
        },
    )


@member_required
@require_POST
def annual_pdf(request: HttpRequest, agreement_id: str, year: int, edition: str) -> HttpResponse:
    """The draft as a PDF, made by the worker; the user follows it on the job's page."""
    if edition not in EDITIONS:
        raise Http404
    agreement = _agreement(request, agreement_id, year)
    if (no_data := _without_data(request, year)) is not None:
        return no_data
    job = background.start(
        actor=request.user,
        kind=KIND,
        title=_("Annual report %(year)s as PDF (%(language)s)")
        % {"year": year, "language": translation.get_language_info(edition)["name_local"]},
        params={"agreement": str(agreement.public_id), "year": year, "edition": edition},
    )
    return redirect("job_detail", job.public_id)


@member_required
@require_http_methods(["GET", "POST"])
def annual_edit(request: HttpRequest, agreement_id: str, year: int) -> HttpResponse:
    agreement = _coordinated(request, agreement_id, year)
    report = AnnualReport.objects.filter(agreement=agreement, year=year).first()
    initial = None
    if report is None:
        initial = {"common_goal_sv": agreement.common_goal}
    form = ReportTextsForm(request.POST or None, instance=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.report_texts_save,
            actor=request.user,
            agreement=agreement,
            year=year,
            **form.cleaned_data,
        ):
            messages.success(request, _("The report's texts are saved."))
            return redirect("annual_edit", agreement.public_id, year)
    return render(
        request,
        "reporting/annual_edit.html",
        {
            "form": form,
            "agreement": agreement,
            "year": year,
            "sections": _writable_sections(request, agreement, year),
            "quotes": Quote.objects.filter(agreement=agreement, year=year).select_related(
                "organisation"
            ),
            "photos": ReportPhoto.objects.filter(agreement=agreement, year=year)
            .select_related("organisation", "file")
            .defer("file__content"),
            "editions": agreement.editions.filter(year=year),
            "title": _("Write the annual report %(year)s") % {"year": year},
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def annual_text(request: HttpRequest, agreement_id: str, year: int, slug: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id, year)
    organisation = next(
        (o for o in _writable_sections(request, agreement, year) if o.slug == slug), None
    )
    if organisation is None:
        raise Http404
    narrative = AnnualNarrative.objects.filter(
        agreement=agreement, organisation=organisation, year=year
    ).first()
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.narrative_save,
            actor=request.user,
            agreement=agreement,
            organisation=organisation,
            year=year,
            **form.cleaned_data,
        ):
            messages.success(request, _("The text for %(year)s is saved.") % {"year": year})
            return redirect("annual_report", agreement.public_id, year, "sv")
    return render(
        request,
        "reporting/annual_text.html",
        {
            "form": form,
            "agreement": agreement,
            "organisation": organisation,
            "year": year,
            "title": _("%(organisation)s in the annual report %(year)s")
            % {"organisation": organisation.name, "year": year},
        },
    )


def _sections_queryset(
    request: HttpRequest, agreement: Agreement, year: int
) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=[o.pk for o in _writable_sections(request, agreement, year)]
    ).order_by("name")


@member_required
@require_http_methods(["GET", "POST"])
def quote_add(request: HttpRequest, agreement_id: str, year: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id, year)
    sections = _sections_queryset(request, agreement, year)
    if not sections.exists():
        raise Http404
    form = QuoteForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.quote_add,
            actor=request.user,
            agreement=agreement,
            year=year,
            **form.cleaned_data,
        ):
            messages.success(request, _("The quote is added."))
            return redirect("annual_report", agreement.public_id, year, "sv")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "intro": _(
                "Only words a person said and agreed to have printed, with the name they "
                "agreed to. Never write a quote for someone."
            ),
            "title": _("A quote for the annual report %(year)s") % {"year": year},
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def photo_add(request: HttpRequest, agreement_id: str, year: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id, year)
    sections = _sections_queryset(request, agreement, year)
    if not sections.exists():
        raise Http404
    form = PhotoForm(request.POST or None, request.FILES or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            services.photo_add,
            actor=request.user,
            agreement=agreement,
            year=year,
            organisation=data["organisation"],
            upload=data["file"],
            caption_sv=data["caption_sv"],
            caption_en=data["caption_en"],
            credit=data["credit"],
            consent=data["consent"],
        ):
            messages.success(request, _("The photo is added."))
            return redirect("annual_report", agreement.public_id, year, "sv")
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("A photo for the annual report %(year)s") % {"year": year}},
    )


@member_required
@require_http_methods(["GET", "POST"])
def quote_delete(request: HttpRequest, agreement_id: str, year: int, quote_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id, year)
    quote = get_object_or_404(
        Quote.objects.select_related("agreement", "organisation"),
        agreement=agreement,
        year=year,
        pk=quote_id,
    )
    return _confirm_delete(
        request,
        agreement,
        year,
        allowed=(
            access.can_manage_agreement(request.user, agreement)
            if quote.organisation is None
            else quote.organisation in _writable_sections(request, agreement, year)
        ),
        remove=lambda: services.quote_delete(actor=request.user, quote=quote),
        question=_("Remove the quote “%(quote)s”?") % {"quote": quote.text_sv[:80]},
    )


@member_required
@require_http_methods(["GET", "POST"])
def photo_delete(request: HttpRequest, agreement_id: str, year: int, photo_id: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id, year)
    photo = get_object_or_404(
        ReportPhoto.objects.select_related("agreement", "organisation", "file").defer(
            "file__content"
        ),
        agreement=agreement,
        year=year,
        public_id=photo_id,
    )
    return _confirm_delete(
        request,
        agreement,
        year,
        allowed=(
            access.can_manage_agreement(request.user, agreement)
            if photo.organisation is None
            else photo.organisation in _writable_sections(request, agreement, year)
        ),
        remove=lambda: services.photo_delete(actor=request.user, photo=photo),
        question=_("Remove the photo by %(credit)s?") % {"credit": photo.credit},
    )


def _confirm_delete(
    request: HttpRequest, agreement: Agreement, year: int, *, allowed: bool,
    remove: Callable[[], None], question: str,
) -> HttpResponse:  # fmt: skip
    if not allowed:
        raise Http404
    back = reverse("annual_report", args=[agreement.public_id, year, "sv"])
    if request.method == "POST":
        remove()
        messages.success(request, _("It is removed from the report."))
        return redirect(back)
    return render(
        request,
        "confirm_page.html",
        {
            "title": question,
            "explanation": _(
                "It leaves the report as it will be published; an edition already published "
                "keeps it."
            ),
            "button": _("Remove"),
            "back_url": back,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def annual_publish(request: HttpRequest, agreement_id: str, year: int) -> HttpResponse:
    agreement = _coordinated(request, agreement_id, year)
    number = (agreement.editions.filter(year=year).count()) + 1
    if request.method == "POST":
        # The worker counts the figures once for both languages, freezes them with the
        # texts and lays out both PDFs; the user follows it on the job's page.
        job = background.start(
            actor=request.user, kind=PUBLISH,
            title=_("Publishing of the annual report %(year)s") % {"year": year},
            params={"agreement": str(agreement.public_id), "year": year},
        )  # fmt: skip
        return redirect("job_detail", job.public_id)
    return render(
        request,
        "confirm_page.html",
        {
            "title": _("Publish edition %(n)s of the annual report %(year)s?")
            % {"n": number, "year": year},
            "explanation": _(
                "The report is frozen as it reads now, in Swedish and English, figures and "
                "texts alike. Later changes make a new edition; this one stays readable as it "
                "was."
            ),
            "button": _("Publish"),
            "danger": False,
            "back_url": reverse("annual_edit", args=[agreement.public_id, year]),
        },
    )


def _edition(request: HttpRequest, agreement_id: str, year: int, number: int) -> Edition:
    agreement = access.get_agreement_for_user(request.user, agreement_id)
    return get_object_or_404(
        Edition.objects.select_related("agreement"), agreement=agreement, year=year, number=number
    )


@member_required
def annual_edition(
    request: HttpRequest, agreement_id: str, year: int, number: int, edition: str
) -> HttpResponse:
    if edition not in EDITIONS:
        raise Http404
    published = _edition(request, agreement_id, year, number)
    return render(
        request,
        "reporting/annual.html",
        {
            "body": published.html_sv if edition == "sv" else published.html_en,
            "agreement": published.agreement,
            "year": year,
            "edition": edition,
            "published": published,
            "latest": published.agreement.editions.filter(year=year).order_by("-number").first(),
            "title": document.title(published, edition),
        },
    )


@member_required
def annual_edition_pdf(
    request: HttpRequest, agreement_id: str, year: int, number: int, edition: str
) -> HttpResponse:
    if edition not in EDITIONS:
        raise Http404
    published = _edition(request, agreement_id, year, number)
    stored = published.pdf_sv if edition == "sv" else published.pdf_en
    if stored is None:
        body = published.html_sv if edition == "sv" else published.html_en
        pdf = document.render_pdf(
            document.pdf_page(body, document.title(published, edition), edition)
        )
        stored = services.edition_pdf(edition=published, language=edition, pdf=pdf)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=published.agreement,
        summary=gettext_noop("annual report %(year)s (%(edition)s) as PDF"),
        params={"year": year, "edition": edition},
    )
    response = HttpResponse(bytes(stored.content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"arsredovisning-{year}-utgava-{number}-{edition}.pdf"
    )
    return response


@member_required
def report_image(request: HttpRequest, file_id: str) -> HttpResponse:
    """A picture of a report: an organisation's logo (every member sees those), or a photo of
    a report or a published edition of an agreement the user's organisation is party to."""
    agreements = access.visible_agreements(request.user)
    stored = (
        StoredFile.objects.filter(public_id=file_id)
        .filter(
            Q(pk__in=Organisation.objects.filter(logo__isnull=False).values("logo"))
            | Q(pk__in=ReportPhoto.objects.filter(agreement__in=agreements).values("file"))
            | Q(
                pk__in=Edition.files.through.objects.filter(
                    edition__agreement__in=agreements
                ).values("storedfile")
            )
        )
        .first()
    )
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
