import datetime as dt
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillsammans.core import access
from tillsammans.core.decorators import member_required
from tillsammans.core.forms import DateField
from tillsammans.core.lib import params
from tillsammans.core.work import link, work_for
from tillsammans.housing.selectors import Capacity, capacity_by_site
from tillsammans.partnership.models import Organisation
from tillsammans.reception.selectors import AGE_BANDS, person_nights
from tillsammans.reception.work import pending_url

from . import selectors

SITES_PER_PAGE = 25


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # One pass over the beds serves the totals and the site table alike.
    capacity = capacity_by_site()
    board = selectors.dashboard(today, capacity)
    context = {
        "board": board,
        "work": work_for(request.user, today),
        "pending_url": pending_url(request.user),
        # The beds are the whole city's: their rows are the coordinator's, who sees every site.
        "sites_url": link(request.user, "site_list")
        if access.is_coordinator(request.user)
        else None,
        "title": _("Dashboard"),
        **_site_table_context(request, capacity),
    }
    return render(request, "reporting/dashboard.html", context)


def _site_table_context(
    request: HttpRequest, capacity: dict[int, Capacity] | None = None
) -> dict[str, object]:
    organisation_id = params.get_id(request.GET, "organisation") or 0
    page = params.get_page(request.GET)
    rows, total = selectors.site_rows(
        organisation_id or None, SITES_PER_PAGE, (page - 1) * SITES_PER_PAGE, capacity
    )
    # A site's name links to its page only for those who may open it (core.access).
    openable = set(
        access.visible_sites(request.user)
        .filter(public_id__in=[row.public_id for row in rows])
        .values_list("public_id", flat=True)
    )
    return {
        "site_rows": rows,
        "openable_sites": openable,
        "site_total": total,
        "site_page": page,
        "site_pages": max(1, -(-total // SITES_PER_PAGE)),
        "organisations": Organisation.objects.order_by("name"),
        "organisation_id": organisation_id,
    }


@member_required
def site_table(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/dashboard.html#site-table", _site_table_context(request))


class PeriodForm(forms.Form):
    start = DateField(label=gettext_lazy("From"))
    end = DateField(label=gettext_lazy("To (exclusive)"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end <= start:
                raise ValidationError(_("The end date must be after the start date."))
            if (end - start).days > 366 * 6:
                raise ValidationError(_("Choose a period of at most six years."))
        return data


@member_required
def occupancy(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {
        "start": today.replace(day=1),
        "end": (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1),
    }
    form = PeriodForm(request.GET or initial)
    rows: list[dict[str, object]] = []
    by_partner: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    counted_until = None
    if form.is_valid():
        # Only nights that have begun are counted: an open stay's nights to come are not
        # nights spent, and the page says where the count stops.
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end > today + dt.timedelta(days=1):
            counted_until = today
        nights = person_nights(start, min(end, today + dt.timedelta(days=1)))
        by_site: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for (org, site, band), count in nights.items():
            by_site[(org, site)][band] += count
            by_partner[org][band] += count
            totals[band] += count
        rows = [
            {"organisation": org, "site": site, "bands": dict(bands), "total": sum(bands.values())}
            for (org, site), bands in sorted(by_site.items())
        ]
    bands = [(code, label) for code, label, _lo, _hi in AGE_BANDS]
    partner_rows = [
        {"organisation": org, "bands": dict(b), "total": sum(b.values())}
        for org, b in sorted(by_partner.items())
    ]
    return render(
        request,
        "reporting/occupancy.html",
        {
            "form": form,
            "rows": rows,
            "partner_rows": partner_rows,
            "bands": bands,
            "totals": dict(totals),
            "grand_total": sum(totals.values()),
            "counted_until": counted_until,
            "title": _("Person-nights"),
        },
    )
