from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_view
from tillsammans.core.decorators import coordinator_required, people_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.lib import params
from tillsammans.core.viewlib import call_service
from tillsammans.people.forms import PersonForm, SearchForm

from . import services
from .forms import (
    AllocationCreateForm,
    AllocationFilterForm,
    MoveForm,
    MoveOutForm,
    PlaceForm,
    StatusForm,
)
from .models import AllocationStatus
from .selectors import fitting_units

PER_PAGE = 50


@coordinator_required
def allocation_list(request: HttpRequest) -> HttpResponse:
    form = AllocationFilterForm(request.GET or None)
    allocations = access.visible_allocations(request.user).select_related("household")
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        allocations = allocations.filter(status=status)
    page = Paginator(allocations.order_by("-allocated_on", "reference"), PER_PAGE).get_page(
        params.get_page(request.GET)
    )
    return render(
        request,
        "reception/allocation_list.html",
        {"form": form, "page": page, "title": _("Allocations"), "search": SearchForm()},
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
            request.user, fitting_units(access.visible_units(request.user), household, on)[:200]
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
                % {"household": household.reference, "unit": stay.unit},
            )
            return redirect("allocation_detail", allocation.public_id)
    audit_view(actor=request.user, obj=allocation, summary="allocation page")
    return render(
        request,
        "reception/allocation_detail.html",
        {
            "allocation": allocation,
            "household": household,
            "persons": household.persons.order_by("birth_date"),
            "place_form": place_form,
            "status_form": StatusForm() if place_form is not None else None,
            "stay": allocation.stays.select_related("unit__site").first(),
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
    for error in form.errors.values():
        messages.error(request, " ".join(error))
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
    for error in form.errors.values():
        messages.error(request, " ".join(error))
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


@people_required
@require_POST
def stay_end(request: HttpRequest, public_id: str) -> HttpResponse:
    return _stay_action(
        request,
        public_id,
        MoveOutForm(request.POST),
        lambda stay, data: services.stay_end(
            actor=request.user, stay=stay, on=data["on"], reason=data["reason"]
        ),
        _("The household moved out."),
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
            needs={k: data[k] for k in ("needs_accessible", "has_pets", "medical_priority")},
        )
        if allocation is not None:
            messages.success(request, _("The allocation was registered."))
            return redirect("allocation_detail", allocation.public_id)
    return render(
        request,
        "reception/allocation_create.html",
        {"form": form, "person_form": person_form, "title": _("New allocation")},
    )
