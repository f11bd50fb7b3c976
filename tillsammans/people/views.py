from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.decorators import coordinator_required, people_required
from tillsammans.core.exports import FORMATS, download
from tillsammans.core.lib import params
from tillsammans.core.viewlib import (
    HtmxHttpRequest,
    call_service,
    call_service_or_message,
    form_errors_as_messages,
    page_forms,
)
from tillsammans.reception.eligibility import units_for
from tillsammans.reception.forms import MoveForm, MoveOutForm
from tillsammans.reception.models import Stay

from . import services
from .audit import audit_households_shown
from .downloads import HOUSEHOLDS, households_listed
from .forms import (
    HouseholdNeedsForm,
    LegalHoldForm,
    PathCorrectionForm,
    PathEventForm,
    PersonForm,
    SearchForm,
)
from .models import PERMIT_KINDS, Household, PathEvent, PathEventKind, Person
from .path import Path
from .selectors import person_search

PER_PAGE = 50


@people_required
def household_list(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    wanted = request.GET.get("format", "")
    if wanted in FORMATS:  # every row under the same search, for what the reader sees
        return download(request, HOUSEHOLDS, {"q": query}, wanted)
    if query:
        persons = person_search(access.visible_persons(request.user), query)
        audit_views(actor=request.user, objs=persons, summary=gettext_noop("household search"))
        return render(
            request,
            "people/household_list.html#results" if request.htmx else "people/household_list.html",
            {"form": form, "persons": persons, "query": query, "title": _("Households")},
        )
    page = Paginator(households_listed(request.user), PER_PAGE).get_page(
        params.get_page(request.GET)
    )
    # Only the page's households are shown, so only their persons are read.
    audit_households_shown(
        actor=request.user, households=list(page), summary=gettext_noop("household list")
    )
    return render(
        request,
        "people/household_list.html",
        {"form": form, "page": page, "query": "", "title": _("Households")},
    )


@people_required
def household_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    household = access.get_household_for_user(request.user, public_id)
    persons = list(household.persons.order_by("birth_date"))
    stays = list(
        access.stay_history_for_user(request.user, household)
        .select_related("unit__site__organisation")
        .prefetch_related("move_out_corrections__corrected_by")
        .order_by("-started_on")
    )
    # Only the last stay can be re-opened; an earlier one has been followed by another.
    last = stays[0] if stays else None
    correctable = (
        last.pk
        if last is not None and access.moved_out_stays(request.user).filter(pk=last.pk).exists()
        else None
    )
    current = next((stay for stay in stays if stay.ended_on is None), None)
    audit_views(
        actor=request.user, objs=[household, *persons], summary=gettext_noop("household page")
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "persons": persons,
            "stays": stays,
            "correctable": correctable,
            "current": current,
            "allocations": household.allocations.all()
            if access.is_coordinator(request.user)
            else [],
            **page_forms(
                move_form=_move_form(request.user, current) if current else None,
                move_out_form=MoveOutForm() if current else None,
                hold_form=LegalHoldForm(
                    initial={
                        "legal_hold": household.legal_hold,
                        "reason": household.legal_hold_reason,
                    }
                )
                if access.is_coordinator(request.user) and household.anonymised_at is None
                else None,
            ),
            "retention_years": settings.RETENTION_YEARS,
            "is_coordinator": access.is_coordinator(request.user),
            "title": household.reference,
        },
    )


@coordinator_required
@require_POST
def household_hold(request: HttpRequest, public_id: str) -> HttpResponse:
    """Set or lift a legal hold on a household's record (retention skips it)."""
    household = access.get_household_for_user(request.user, public_id)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("household_detail", household.public_id)
    held = call_service_or_message(
        request, services.household_legal_hold, actor=request.user, household=household,
        hold=form.cleaned_data["legal_hold"], reason=form.cleaned_data["reason"],
    )  # fmt: skip
    if held is not None:
        messages.success(
            request,
            _("The record is kept until the hold is lifted.")
            if held.legal_hold
            else _("The hold is lifted: the record follows the retention rule again."),
        )
    return redirect("household_detail", household.public_id)


def _move_form(user: object, stay: Stay) -> MoveForm:
    form = MoveForm()
    units = access.visible_units(user).exclude(pk=stay.unit_id)
    form.offer(user, units_for(units, stay.household, timezone.localdate())[:200])
    return form


@people_required
def household_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    household = access.get_household_for_user(request.user, public_id)
    form = HouseholdNeedsForm(request.POST or None, instance=Household.objects.get(pk=household.pk))
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.household_update,
            actor=request.user,
            household=household,
            **form.cleaned_data,
        ):
            messages.success(request, _("The household was saved."))
            return redirect("household_detail", household.public_id)
    audit_views(
        actor=request.user,
        objs=[household, *household.persons.all()],
        summary=gettext_noop("household needs form"),
    )
    return render(request, "form_page.html", {"form": form, "title": household.reference})


@people_required
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access.get_person_for_user(request.user, public_id)
    # Work on a copy so a refused save does not leave the form showing half-applied values.
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    _follow_the_path(form, person)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form, services.person_update, actor=request.user, person=person, **form.cleaned_data
        ):
            messages.success(request, _("The person was saved."))
            return redirect("household_detail", person.household.public_id)
    services.audit_number_refused(request.user, form.number_holder)
    audit_views(actor=request.user, objs=[person], summary=gettext_noop("person form"))
    return render(request, "form_page.html", {"form": form, "title": str(person)})


def _follow_the_path(form: PersonForm, person: Person) -> None:
    """Once a person has a legal path, their permit (and, once registered, their personal
    identity number) change there, where each change is an event, never here."""
    standing = person.path_events.standing()
    fixed = []
    if standing.filter(kind__in=PERMIT_KINDS).exists():
        fixed += ["permit_valid_from", "permit_valid_until"]
    if standing.filter(kind=PathEventKind.REGISTERED).exists():
        fixed.append("swedish_id_number")
    for name in fixed:
        form.fields[name].disabled = True
        form.fields[name].help_text = _("Follows the legal path: record a change there.")


@people_required
def person_add(request: HttpRequest, public_id: str) -> HttpResponse:
    household = access.get_household_for_user(request.user, public_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.person_add,
            actor=request.user,
            household=household,
            data=form.cleaned_data,
        ):
            messages.success(request, _("The person was added."))
            return redirect("household_detail", household.public_id)
    services.audit_number_refused(request.user, form.number_holder)
    return render(request, "form_page.html", {"form": form, "title": _("Add a person")})


# -- the legal path (ADR 30) -------------------------------------------------------------------


def _timeline(user: object, person: Person, events: list[PathEvent]) -> list[dict[str, object]]:
    """The person's path in date order: what the reception recorded (allocated, moved in,
    moved out; the allocation to the coordinator only, the stays the user may see) and the
    recorded events, corrected ones too, struck through."""
    rows: list[dict[str, object]] = []
    if access.is_coordinator(user):
        for allocation in person.household.allocations.all():
            rows.append({"on": allocation.allocated_on, "what": _("Allocated to the municipality"),
                         "detail": allocation.reference})  # fmt: skip
    for stay in access.stay_history_for_user(user, person.household).select_related("unit__site"):
        place = f"{stay.unit.site.name}, {stay.unit.name}"
        rows.append({"on": stay.started_on, "what": _("Moved in"), "detail": place})
        if stay.ended_on is not None:
            rows.append({"on": stay.ended_on, "what": _("Moved out"),
                         "detail": f"{place} ({stay.get_exit_reason_display()})"})  # fmt: skip
    corrected = {e.corrects_id for e in events if e.corrects_id}
    for event in events:
        rows.append({"on": event.on, "event": event, "corrected": event.pk in corrected})
    return sorted(rows, key=lambda row: row["on"])  # type: ignore[return-value,arg-type]


def _ends_because(path: Path) -> str:
    """Why the reception ends on ``path.reception_ends_on``, in words."""
    words = {
        "registered": _("entered in the population register"),
        "lapsed": _("the permit ends with no extension applied for"),
        "revoked": _("the permit was revoked"),
        "left": _("left the municipality"),
        "never_arrived": _("never arrived"),
    }
    return str(words.get(path.ends_because, ""))


@people_required
def person_path(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access.get_person_for_user(request.user, public_id)
    form = PathEventForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.path_event_record, actor=request.user, person=person,
                        **form.cleaned_data):  # fmt: skip
            messages.success(request, _("The event was recorded."))
            return redirect("person_path", person.public_id)
    person.refresh_from_db()
    events = list(person.path_events.select_related("recorded_by").order_by("on", "id"))
    path = services.path_for(person)
    audit_views(actor=request.user, objs=[person], summary=gettext_noop("legal path page"))
    return render(
        request,
        "people/person_path.html",
        {
            "person": person,
            "path": path,
            "ends_because": _ends_because(path),
            "timeline": _timeline(request.user, person, events),
            "today": timezone.localdate(),
            **page_forms(form=form),
            "title": _("Legal path of %(name)s") % {"name": person.display_name},
        },
    )


@people_required
def path_event_correct(request: HttpRequest, public_id: str) -> HttpResponse:
    event = access.get_path_event_for_user(request.user, public_id)
    person = event.person
    form = PathCorrectionForm(
        request.POST or None,
        initial={"on": event.on, "valid_until": event.valid_until, "reference": event.reference},
    )
    # Only the fields the event has: a last day for a permit, a number for a registration.
    if event.kind not in PERMIT_KINDS:
        del form.fields["valid_until"]
    if event.kind != PathEventKind.REGISTERED:
        del form.fields["identity_number"]
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.path_event_correct, actor=request.user, event=event,
                        **form.cleaned_data):  # fmt: skip
            messages.success(request, _("The correction was recorded."))
            return redirect("person_path", person.public_id)
    audit_views(
        actor=request.user, objs=[person], summary=gettext_noop("legal path correction form")
    )
    title = _("Correct: %(event)s of %(date)s") % {
        "event": event.get_kind_display(), "date": f"{event.on:%Y-%m-%d}",
    }  # fmt: skip
    return render(
        request, "form_page.html",
        {"form": form, "title": title, "back": person, "intro": _(
            "Nothing is edited: the event stays on the path, marked corrected, and the "
            "correction takes its place."
        )},
    )  # fmt: skip
