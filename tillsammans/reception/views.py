import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.decorators import coordinator_required, people_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.exports import FORMATS, download
from tillsammans.core.lib import params
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.dates import long_date
from tillsammans.core.viewlib import call_service, form_errors_as_messages
from tillsammans.people.audit import audit_households_shown
from tillsammans.people.forms import PersonForm, SearchForm
from tillsammans.people.selectors import HouseholdName, household_name, names_of
from tillsammans.people.services import audit_number_refused

from . import eligibility, services
from .downloads import ALLOCATIONS, allocations_listed
from .eligibility import units_for
from .forms import (
    AllocationCreateForm,
    AllocationFilterForm,
    MoveForm,
    MoveOutCorrectionForm,
    MoveOutForm,
    PlaceForm,
    ReopenForm,
    StatusForm,
)
from .models import AllocationStatus, ExitReason, HostHomeProgramme, Stay

PER_PAGE = 50


@coordinator_required
def allocation_list(request: HttpRequest) -> HttpResponse:
    form = AllocationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    wanted = request.GET.get("format", "")
    if wanted in FORMATS:  # every row under the same filter, for what the reader sees
        return download(request, ALLOCATIONS, {"status": status}, wanted)
    page = Paginator(allocations_listed(request.user, status), PER_PAGE).get_page(
        params.get_page(request.GET)
    )
    for allocation in page:
        allocation.names = names_of(allocation.household)  # type: ignore[attr-defined]
    audit_households_shown(
        actor=request.user,
        households=[allocation.household_id for allocation in page],
        summary=gettext_noop("allocation list"),
    )
    return render(
        request,
        "reception/allocation_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "title": _("Allocations"),
            "search": SearchForm(),
        },
    )


@coordinator_required
def allocation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    allocation = access.get_allocation_for_user(request.user, public_id)
    household = allocation.household
    on = allocation.expected_arrival or timezone.localdate()
    on = max(on, allocation.allocated_on)
    place_form = None
    if allocation.status == AllocationStatus.PENDING:
        place_form = PlaceForm(request.POST or None, initial={"on": max(on, timezone.localdate())})
        place_form.offer(
            request.user, units_for(access.visible_units(request.user), household, on)[:200]
        )
    if request.method == "POST" and place_form is not None and place_form.is_valid():
        stay = call_service(
            place_form,
            services.allocation_place,
            actor=request.user,
            allocation=allocation,
            unit=place_form.cleaned_data["unit"],
            on=place_form.cleaned_data["on"],
        )
        if stay is not None:
            messages.success(
                request,
                _("%(household)s was placed in %(unit)s.")
                % {"household": household.reference, "unit": isolate_text(str(stay.unit))},
            )
            return redirect("allocation_detail", allocation.public_id)
    persons = list(household.persons.order_by("birth_date"))
    audit_views(
        actor=request.user, objs=[allocation, *persons], summary=gettext_noop("allocation page")
    )
    return render(
        request,
        "reception/allocation_detail.html",
        {
            "allocation": allocation,
            "household": household,
            "persons": persons,
            "place_form": place_form,
            "status_form": StatusForm() if place_form is not None else None,
            "reopen_form": ReopenForm()
            if allocation.status == AllocationStatus.NEVER_ARRIVED
            and access.is_coordinator(request.user)
            else None,
            "stay": allocation.stays.select_related("unit__site").first(),
            "host_homes": place_form is not None and HostHomeProgramme.objects.exists(),
            "needs_licensed_home": place_form is not None
            and eligibility.applicant_of(household, on).needs_licensed_home,
            "title": allocation.reference,
        },
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
@require_POST
def allocation_status(request: HttpRequest, public_id: str) -> HttpResponse:
    allocation = access.get_allocation_for_user(request.user, public_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        if call_service(
            form,
            services.allocation_set_status,
            actor=request.user,
            allocation=allocation,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ):
            messages.success(request, _("The allocation was updated."))
            return redirect("allocation_detail", allocation.public_id)
    form_errors_as_messages(request, form)
    return redirect("allocation_detail", allocation.public_id)


@coordinator_required
@require_POST
def allocation_reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    allocation = access.get_allocation_for_user(request.user, public_id)
    form = ReopenForm(request.POST)
    if form.is_valid():
        reopened = call_service(
            form, services.allocation_reopen, actor=request.user, allocation=allocation,
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
        if reopened is not None:
            messages.success(
                request, _("The allocation is pending again: the household can be placed.")
            )
            return redirect("allocation_detail", allocation.public_id)
    form_errors_as_messages(request, form)
    return redirect("allocation_detail", allocation.public_id)


def _stay_action(
    request: HttpRequest, public_id: str, form: forms.Form, act: Any, done: str
) -> HttpResponse:
    """Run a move or move-out from the household page; every outcome is a message there."""
    stay = access.get_stay_for_user(request.user, public_id)
    if form.is_valid():
        try:
            act(stay, form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, done)
            if not access.visible_households(request.user).filter(pk=stay.household_id).exists():
                return redirect("household_list")
    form_errors_as_messages(request, form)
    return redirect("household_detail", stay.household.public_id)


@people_required
@require_POST
def stay_move(request: HttpRequest, public_id: str) -> HttpResponse:
    form = MoveForm(request.POST)
    form.offer(request.user, [])
    return _stay_action(
        request,
        public_id,
        form,
        lambda stay, data: services.stay_move(
            actor=request.user, stay=stay, to_unit=data["to_unit"], on=data["on"]
        ),
        _("The household was moved."),
    )


def _sentence(template: str, person_written: str, **values: Any) -> SafeString:
    """A translated sentence with its values escaped and the person-written one isolated, so
    that a name in a right-to-left script cannot turn the rest of the sentence around."""
    escaped: dict[str, Any] = {key: conditional_escape(value) for key, value in values.items()}
    escaped[person_written] = format_html("<bdi>{}</bdi>", values[person_written])
    return mark_safe(conditional_escape(template) % escaped)


def _move_out_question(name: HouseholdName, stay: Stay, on: dt.date) -> SafeString:
    where = {"site": stay.unit.site.name, "unit": stay.unit.name, "date": long_date(on)}
    if name.is_family:
        template = ngettext(
            "Move out the %(names)s family (%(count)s person) from %(site)s, unit %(unit)s, "
            "on %(date)s?",
            "Move out the %(names)s family (%(count)s persons) from %(site)s, unit %(unit)s, "
            "on %(date)s?",
            name.count,
        )
        return _sentence(template, "names", names=name.names, count=name.count, **where)
    template = _("Move out %(name)s from %(site)s, unit %(unit)s, on %(date)s?")
    return _sentence(template, "name", name=name.names, **where)


def _move_out_button(name: HouseholdName) -> SafeString:
    if name.is_family:
        return _sentence(_("Move out the %(names)s family"), "names", names=name.names)
    return _sentence(_("Move out %(name)s"), "name", name=name.names)


def _reopen_button(name: HouseholdName) -> SafeString:
    if name.is_family:
        return _sentence(_("Re-open the stay of the %(names)s family"), "names", names=name.names)
    return _sentence(_("Re-open the stay of %(name)s"), "name", name=name.names)


def _moved_out_message(name: HouseholdName, on: dt.date) -> str:
    if name.is_family:
        return _("The %(names)s family moved out on %(date)s.") % {
            "names": name.names,
            "date": long_date(on),
        }
    return _("%(name)s moved out on %(date)s.") % {"name": name.names, "date": long_date(on)}


@people_required
@require_http_methods(["GET", "POST"])
def stay_end(request: HttpRequest, public_id: str) -> HttpResponse:
    """A move-out in two steps. The household page's form asks for this page (GET), which
    names the household, the unit, the date and the reason; only its button (a POST with
    ``confirm``) moves anyone out. A POST without it is only asked again."""
    try:
        stay = access.get_stay_for_user(request.user, public_id)
    except Http404:
        # A second press of the button after the first moved them out of the user's view.
        access.get_moved_out_stay_for_user(request.user, public_id)
        messages.error(request, _("This stay has already ended."))
        return redirect("moved_out_list")
    household = stay.household
    if stay.ended_on is not None:
        messages.error(request, _("This stay has already ended."))
        return redirect("household_detail", household.public_id)
    data = request.POST if request.method == "POST" else request.GET
    form = MoveOutForm(data or None, moved_in=stay.started_on)
    persons = list(household.persons.order_by("birth_date"))
    name = household_name(persons)
    if request.method == "POST" and request.POST.get("confirm") == "yes" and form.is_valid():
        on = form.cleaned_data["on"]
        done = call_service(
            form,
            services.stay_end,
            actor=request.user,
            stay=stay,
            on=on,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _moved_out_message(name, on))
            if not access.visible_households(request.user).filter(pk=household.pk).exists():
                return redirect("moved_out_list")
            return redirect("household_detail", household.public_id)
    asking = form.is_valid() and not data.get("change")
    audit_households_shown(
        actor=request.user, households=[household], summary=gettext_noop("move-out confirmation")
    )
    return render(
        request,
        "reception/move_out_confirm.html",
        {
            "stay": stay,
            "household": household,
            "persons": persons,
            "form": form,
            "question": _move_out_question(name, stay, form.cleaned_data["on"]) if asking else None,
            "button": _move_out_button(name),
            "reason_label": ExitReason(form.cleaned_data["reason"]).label if asking else None,
            "title": _("Move out"),
        },
        status=400 if request.method == "POST" and not asking else 200,
    )


@people_required
def moved_out_list(request: HttpRequest) -> HttpResponse:
    """Move-outs recorded lately, each with its correction: after moving out a household is
    no longer on the partner's household pages, so this is where partner staff take back a
    move-out recorded by mistake."""
    since = timezone.now() - access.MOVE_OUT_CORRECTION_WINDOW
    stays = (
        access.moved_out_stays(request.user)
        .filter(ended_recorded_at__gte=since)
        .select_related("unit__site__organisation", "household")
        .prefetch_related("household__persons")
        .order_by("-ended_recorded_at", "id")
    )
    page = Paginator(stays, PER_PAGE).get_page(request.GET.get("page"))
    audit_views(
        actor=request.user,
        objs=[person for stay in page for person in stay.household.persons.all()],
        summary=gettext_noop("moved-out list"),
    )
    return render(
        request,
        "reception/moved_out_list.html",
        {
            "page": page,
            "days": access.MOVE_OUT_CORRECTION_WINDOW.days,
            "title": _("Moved out recently"),
        },
    )


@people_required
def stay_reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    """Correct a move-out recorded by mistake: the page says what was recorded and whether
    the stay can be re-opened (and if not, why) before anything is written."""
    stay = access.get_moved_out_stay_for_user(request.user, public_id)
    household = stay.household
    form = MoveOutCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reopened = call_service(
            form,
            services.stay_reopen,
            actor=request.user,
            stay=stay,
            note=form.cleaned_data["note"],
        )
        if reopened is not None:
            messages.success(request, _("The move-out was corrected: the stay is open again."))
            return redirect("household_detail", household.public_id)
    persons = list(household.persons.order_by("birth_date"))
    name = household_name(persons)
    audit_households_shown(
        actor=request.user, households=[household], summary=gettext_noop("move-out correction page")
    )
    return render(
        request,
        "reception/move_out_correct.html",
        {
            "stay": stay,
            "household": household,
            "persons": persons,
            "form": form,
            "problem": services.stay_reopen_check(actor=request.user, stay=stay),
            "back": reverse("household_detail", args=[household.public_id])
            if access.visible_households(request.user).filter(pk=household.pk).exists()
            else reverse("moved_out_list"),
            "button": _reopen_button(name),
            "title": _("Correct a move-out"),
        },
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
def allocation_create(request: HttpRequest) -> HttpResponse:
    """Register one allocation by hand; the first person now, the others on the household page."""
    form = AllocationCreateForm(request.POST or None, prefix="allocation")
    person_form = PersonForm(request.POST or None, prefix="person")
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        data = form.cleaned_data
        allocation = call_service(
            form,
            services.allocation_create,
            actor=request.user,
            reference=data["reference"],
            allocated_on=data["allocated_on"],
            expected_arrival=data["expected_arrival"],
            household_reference=data["household_reference"],
            persons=[person_form.cleaned_data],
            needs={
                k: data[k]
                for k in ("needs_accessible", "has_pets", "medical_priority", "unaccompanied")
            },
        )
        if allocation is not None:
            messages.success(request, _("The allocation was registered."))
            return redirect("allocation_detail", allocation.public_id)
    audit_number_refused(request.user, person_form.number_holder)
    return render(
        request,
        "reception/allocation_create.html",
        {"form": form, "person_form": person_form, "title": _("New allocation")},
    )
