from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.decorators import people_required
from tillsammans.core.exports import FORMATS, download
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.geo import district_centre
from tillsammans.core.lib.names import natural_key
from tillsammans.core.viewlib import call_service
from tillsammans.people.audit import audit_households_shown
from tillsammans.people.selectors import names_of, persons_for_names
from tillsammans.placement.forms import ProposeForm
from tillsammans.reception.models import Stay

from . import services
from .downloads import SITES, sites_listed
from .forms import LicenceForm, SiteForm, SiteUseForm, UnitForm
from .models import CHILDREN_KINDS, Licence, Site
from .selectors import beds_since, units_with_capacity


@people_required
def site_list(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("format", "")
    if wanted in FORMATS:
        return download(request, SITES, {}, wanted)
    return render(
        request,
        "housing/site_list.html",
        {"sites": sites_listed(request.user), "title": _("Sites")},
    )


@people_required
def site_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    site = access.get_site_for_user(request.user, public_id)
    # "Rum 2" before "Rum 10": a site's units in the order their names count.
    units = sorted(units_with_capacity(site.units.all()), key=lambda u: natural_key(u.name))
    since = beds_since(site)
    for unit in units:
        unit.beds_since = since.get(unit.pk)  # type: ignore[attr-defined]
    stays = list(
        Stay.objects.filter(unit__site=site, ended_on__isnull=True)
        .select_related("household", "unit")
        .prefetch_related(persons_for_names())
        .order_by("unit__name", "started_on")
    )
    for stay in stays:
        stay.names = names_of(stay.household)  # type: ignore[attr-defined]
    audit_households_shown(
        actor=request.user,
        households=[stay.household_id for stay in stays],
        summary=gettext_noop("residents of a site"),
    )
    for_children, today = site.kind in CHILDREN_KINDS, timezone.localdate()
    licences = (
        list(site.licences.select_related("holder").order_by("-valid_from")) if for_children else []
    )
    return render(
        request,
        "housing/site_detail.html",
        {
            "site": site,
            "units": units,
            "stays": stays,
            "can_manage": access.can_manage_site(request.user, site),
            "for_children": for_children,
            "licences": licences,
            "licence_today": any(licence.valid_on(today) for licence in licences),
            "uses": list(site.uses.order_by("-valid_from")) if for_children else [],
            "has_district_centre": district_centre(site.district) is not None,
            "closing_form": ProposeForm() if access.is_coordinator(request.user) else None,
            "title": site.name,
        },
    )


@people_required
def site_create(request: HttpRequest) -> HttpResponse:
    membership = access.membership_of(request.user)
    if not access.can_manage_org_sites(request.user) or membership is None:
        raise Http404
    form = SiteForm(
        request.POST or None, agreements=access.offering_agreements(membership.organisation)
    )
    if request.method == "POST" and form.is_valid():
        site = call_service(
            form,
            services.site_create,
            actor=request.user,
            organisation=membership.organisation,
            **form.cleaned_data,
        )
        if site is not None:
            messages.success(request, _("The site was added."))
            return redirect("site_detail", site.public_id)
    return render(request, "form_page.html", {"form": form, "title": _("New site")})


@people_required
def site_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    site = access.get_site_for_user(request.user, public_id)
    if not access.can_manage_site(request.user, site):
        raise Http404
    form = SiteForm(
        request.POST or None,
        instance=site,
        agreements=access.offering_agreements(site.organisation, keep=site.agreement_id),
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form, services.site_update, actor=request.user, site=site, **form.cleaned_data
        ):
            messages.success(request, _("The site was saved."))
            return redirect("site_detail", site.public_id)
    return render(request, "form_page.html", {"form": form, "title": site.name})


@people_required
def unit_create(request: HttpRequest, public_id: str) -> HttpResponse:
    site = access.get_site_for_user(request.user, public_id)
    if not access.can_manage_site(request.user, site):
        raise Http404
    form = UnitForm(request.POST or None, initial={"beds_from": services.default_beds_from(site)})
    if request.method == "POST" and form.is_valid():
        unit = call_service(
            form, services.unit_create, actor=request.user, site=site, **form.cleaned_data
        )
        if unit is not None:
            messages.success(request, _("The unit was added."))
            return redirect("site_detail", site.public_id)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("New unit in %(site)s") % {"site": isolate_text(site.name)}},
    )


@people_required
def unit_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, public_id)
    if not access.can_manage_site(request.user, unit.site):
        raise Http404
    initial = {
        "beds": unit.beds.count(),
        "blocked_beds": unit.beds.filter(blocked=True).count(),
        "beds_from": timezone.localdate(),
    }
    form = UnitForm(request.POST or None, instance=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if call_service(form, services.unit_update, actor=request.user, unit=unit, **data):
            messages.success(request, _("The unit was saved."))
            return redirect("site_detail", unit.site.public_id)
    return render(request, "form_page.html", {"form": form, "title": str(unit)})


def _licence_page(request: HttpRequest, site: Site, licence: Licence | None) -> HttpResponse:
    if site.kind not in CHILDREN_KINDS or not access.can_manage_site(request.user, site):
        raise Http404
    form = LicenceForm(
        request.POST or None,
        instance=licence,
        holders=services.licence_holders(site),
        # Most homes hold their own licence; the city's is the exception (seed 003).
        initial={"holder": site.organisation_id} if licence is None else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.licence_save, actor=request.user, site=site, licence=licence,
            **form.cleaned_data,
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("The licence was saved."))
            return redirect("site_detail", site.public_id)
    title = (_("New licence for %(site)s") if licence is None else _("Licence of %(site)s")) % {
        "site": isolate_text(site.name)
    }
    return render(request, "form_page.html", {"form": form, "title": title})


@people_required
def site_use_create(request: HttpRequest, public_id: str) -> HttpResponse:
    site = access.get_site_for_user(request.user, public_id)
    if site.kind not in CHILDREN_KINDS or not access.can_manage_site(request.user, site):
        raise Http404
    form = SiteUseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.site_use_record, actor=request.user, site=site, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The use of the home was saved."))
            return redirect("site_detail", site.public_id)
    title = _("What %(site)s is used for") % {"site": isolate_text(site.name)}
    return render(request, "form_page.html", {"form": form, "title": title, "back": site})


@people_required
def licence_create(request: HttpRequest, public_id: str) -> HttpResponse:
    return _licence_page(request, access.get_site_for_user(request.user, public_id), None)


@people_required
def licence_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    licence = access.get_licence_for_user(request.user, public_id)
    return _licence_page(request, licence.site, licence)
