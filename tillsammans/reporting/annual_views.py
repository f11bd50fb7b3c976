"""The annual added-value report: the page, its PDF, and the partners' own texts."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.decorators import member_required
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.models import AuditAction
from tillsammans.partnership.models import Organisation

from .annual import annual_report, report_years
from .charts import occupancy_bars, stacked_services
from .forms import NarrativeForm
from .models import AnnualNarrative

EDITIONS = ("sv", "en")
FIRST_YEAR = 2000


def _without_data(request: HttpRequest, year: int, edition: str) -> HttpResponse | None:
    """A missing edition or a future year is a missing page; a past year without any
    records says so, rather than a report of zeros and "fewer than 5"."""
    today = timezone.localdate()
    if edition not in EDITIONS or not FIRST_YEAR <= year <= today.year:
        raise Http404
    if year in report_years(today):
        return None
    return render(
        request,
        "reporting/annual_no_data.html",
        {"year": year, "title": _("No annual report for %(year)s") % {"year": year}},
        status=404,
    )


def _context(year: int, edition: str) -> dict[str, object]:
    report = annual_report(year)
    words = {
        section.organisation.id: {
            part: section.narrative.in_language(part, edition)
            for part in ("headline", "text", "quote", "quote_by")
        }
        for section in report.partners
        if section.narrative is not None
    }
    return {
        "report": report,
        "partners": [
            (section, words.get(section.organisation.id, {})) for section in report.partners
        ],
        "edition": edition,
        "occupancy": occupancy_bars(report.months),
        "services": stacked_services(report.services_by_partner),
        "title": _("Annual report of added values %(year)s") % {"year": year},
    }


@member_required
def annual_index(request: HttpRequest) -> HttpResponse:
    years = report_years(timezone.localdate())
    membership = access.membership_of(request.user)
    writable = []
    if access.is_coordinator(request.user):
        writable = list(Organisation.objects.order_by("name"))
    elif membership is not None and membership.role == "partner_admin":
        writable = [membership.organisation]
    return render(
        request,
        "reporting/annual_index.html",
        {"years": years, "writable": writable, "title": _("Annual reports")},
    )


@member_required
def annual(request: HttpRequest, year: int, edition: str) -> HttpResponse:
    if (no_data := _without_data(request, year, edition)) is not None:
        return no_data
    with translation.override(edition):
        html = render_to_string("reporting/annual.html", _context(year, edition), request=request)
    return HttpResponse(html)


@member_required
def annual_pdf(request: HttpRequest, year: int, edition: str) -> HttpResponse:
    if (no_data := _without_data(request, year, edition)) is not None:
        return no_data
    from weasyprint import HTML  # loaded on use: it takes a moment to import

    with translation.override(edition):
        html = render_to_string("reporting/annual_pdf.html", _context(year, edition))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=None,
        summary=gettext_noop("annual report %(year)s (%(edition)s) as PDF"),
        params={"year": year, "edition": edition},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"arsredovisning-{year}-{edition}.pdf")
    return response


def _writable_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The coordinator writes for anyone; a partner admin for its own organisation."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if access.is_coordinator(request.user):
        return organisation
    membership = access.membership_of(request.user)
    if membership is None or membership.role != "partner_admin":
        raise Http404
    if membership.organisation_id != organisation.id:
        raise Http404
    return organisation


@member_required
@require_http_methods(["GET", "POST"])
def annual_text(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    organisation = _writable_organisation(request, slug)
    narrative = AnnualNarrative.objects.filter(organisation=organisation, year=year).first()
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = organisation
        saved.year = year
        saved.updated_by = request.user
        saved.save()
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if narrative else AuditAction.CREATE,
            obj=saved,
            summary=gettext_noop("annual report text %(year)s of %(organisation)s"),
            params={"year": year, "organisation": organisation.name},
        )
        messages.success(request, _("The text for %(year)s is saved.") % {"year": year})
        return redirect("annual_index")
    return render(
        request,
        "reporting/annual_text.html",
        {
            "form": form,
            "organisation": organisation,
            "year": year,
            "title": _("%(organisation)s in the annual report %(year)s")
            % {"organisation": organisation.name, "year": year},
        },
    )
