"""The social services' pages for unaccompanied children: the case worker's cases and the
homes' view of the children they house (``access.py`` says who sees what)."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.addedvalues.models import Delivery
from tillsammans.addedvalues.selectors import own_services
from tillsammans.core import access as core_access
from tillsammans.core.audit import audit_record, audit_views
from tillsammans.core.decorators import access_required
from tillsammans.core.disclosures import record_disclosure
from tillsammans.core.lib import params
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.dates import age_on
from tillsammans.core.lib.downloads import xlsx_download
from tillsammans.core.models import AuditAction, DisclosureBasis
from tillsammans.core.viewlib import call_service, call_service_or_message, page_forms
from tillsammans.housing.models import Unit
from tillsammans.housing.selectors import units_with_capacity
from tillsammans.reception.models import PlacementDecision
from tillsammans.training.models import Volunteer

from . import access, selectors, services
from .forms import (
    AfterEighteenForm,
    AsylumStatusForm,
    BirthDateForm,
    CaseCloseForm,
    ChildLeaveForm,
    ChildPlaceForm,
    ChildRegisterForm,
    ChildVolunteerForm,
    DecisionEndForm,
    DecisionForm,
    DecisionWithdrawForm,
    EnrolmentEndForm,
    EnrolmentForm,
    GuardianEndForm,
    GuardianForm,
    LinkEndForm,
    MeetingForm,
    PlanFollowUpForm,
    PlanGoalForm,
    RelativeForm,
    ReunificationOpenForm,
    ReunificationStepForm,
    SessionForm,
    SummerPlaceForm,
    VolunteerLinkForm,
)
from .models import ChildCase, ChildVolunteer

cases_required = access_required(access.sees_cases)
case_worker_required = access_required(core_access.is_case_worker)


def _name(case: ChildCase) -> str:
    person = case.person
    return f"{person.first_name} {person.last_name}"


def _audit_named(request: HttpRequest, case: ChildCase) -> None:
    """A form page that names the child is a read of the child."""
    audit_views(actor=request.user, objs=[case.person], summary=gettext_noop("child's case"))


@cases_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The open cases the user sees; with ``?closed=1`` the closed ones."""
    closed = request.GET.get("closed") == "1"
    visible = access.visible_cases(request.user)
    other_count = visible.filter(closed_on__isnull=closed).count()
    cases = list(
        visible.filter(closed_on__isnull=not closed)
        .select_related("person__household", "case_worker")
        .prefetch_related("guardians")
    )
    today = timezone.localdate()
    stays = selectors.current_stays(cases)
    rows = []
    for case in cases:
        guardian = next(
            (g for g in case.guardians.all() if g.ended_on is None or g.ended_on >= today), None
        )
        rows.append(
            {
                "case": case,
                "age": age_on(case.person.birth_date, today),
                "stay": stays.get(case.person.household_id),
                "guardian": guardian,
            }
        )
    audit_views(
        actor=request.user, objs=[case.person for case in cases], summary=gettext_noop("cases")
    )
    return render(
        request,
        "minors/case_list.html",
        {
            "rows": rows,
            "closed": closed,
            "other_count": other_count,
            "is_case_worker": core_access.is_case_worker(request.user),
            "keeps_volunteers": access.keeps_volunteers(request.user),
        },
    )


@case_worker_required
def child_register(request: HttpRequest) -> HttpResponse:
    form = ChildRegisterForm(request.POST or None, initial={"allocated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        case = call_service(form, services.child_register, actor=request.user, **form.cleaned_data)
        if case is not None:
            messages.success(request, _("The child is registered and the case is yours."))
            return redirect("case_detail", case.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Register an unaccompanied child"),
            "intro": _(
                "A child or young person allocated to the city as unaccompanied. You will hold "
                "the case; the child is placed once you have decided a placement."
            ),
        },
    )


@cases_required
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, public_id)
    person = case.person
    today = timezone.localdate()
    decisions = list(
        PlacementDecision.objects.filter(household_id=person.household_id)
        .select_related("site__organisation")
        .order_by("-valid_from", "-id")
    )
    stays = selectors.current_stays([case])
    holds = access.can_manage_case(request.user, case)
    manages = holds and case.closed_on is None  # a closed case takes nothing new
    membership = core_access.membership_of(request.user)
    own_org = membership.organisation_id if membership else None
    reunifications = list(case.reunifications.select_related("helped_by"))
    links = list(
        case.links.select_related("volunteer__volunteer__organisation").order_by("-starts_on")
    )
    enrolments = list(
        case.enrolments.select_related("service__organisation", "summer_place").order_by(
            "-starts_on"
        )
    )
    sessions = [
        (delivery, delivery.note if _reads_note(delivery, own_org) else None)
        for delivery in selectors.sessions_of(person, enrolments, links)
    ]
    audit_views(actor=request.user, objs=[person, case], summary=gettext_noop("child's case"))
    return render(
        request,
        "minors/case_detail.html",
        {
            "case": case,
            "person": person,
            "name": _name(case),
            "age": age_on(person.birth_date, today),
            "birth_dates": list(case.birth_dates.order_by("-decided_on", "-id")),
            "statuses": list(case.statuses.order_by("-valid_from", "-id")),
            "guardians": list(case.guardians.all()),
            "decisions": decisions,
            "stay": stays.get(person.household_id),
            "manages": manages,
            "holds": holds,
            "can_take_over": access.can_take_over(request.user, case),
            "can_place": manages and services.pending_allocation(case) is not None,
            "eighteenth": selectors.eighteenth_birthday(person.birth_date),
            "links": links,
            "links_volunteers": case.closed_on is None
            and access.links_volunteers(request.user, case),
            "plan": list(case.plan.all()),
            "enrolments": enrolments,
            "sessions": sessions,
            "reunifications": reunifications,
            "reunification_open": any(r.closed_on is None for r in reunifications),
            "today": today,
        },
    )


def _reads_note(delivery: Delivery, organisation_id: int | None) -> bool:
    """A session's note is the service's organisation's; the child's case worker and home
    read it too unless the service keeps its notes (a psychologist's)."""
    return delivery.organisation_id == organisation_id or not delivery.service.notes_confidential


def _form_page(
    request: HttpRequest, case: ChildCase, form: Any, service: Any, target: dict[str, Any],
    *, done: str, title: str, intro: str = "", back: Any = None, then: str = "",
) -> HttpResponse:  # fmt: skip
    """A form about one child (the page names the child: a read), whose valid submission
    ``service`` writes with ``target`` (the case, or the row it changes); then on to ``then``
    or the case."""
    _audit_named(request, case)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, service, actor=request.user, **target, **form.cleaned_data)
        if saved is not None:
            messages.success(request, done)
            return redirect(then or case.get_absolute_url())
    context = {"form": form, "title": title, "intro": intro, "back": back}
    return render(request, "form_page.html", context)


def _case_form_page(
    request: HttpRequest, public_id: str, form_class: Any, service: Any, title: str,
    done: str, form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:  # fmt: skip
    """A form that records one thing on a case the user holds, then back to the case."""
    case = access.get_managed_case_for_user(request.user, public_id)
    form = form_class(request.POST or None, **(form_kwargs or {}))
    title = title % {"name": isolate_text(_name(case))}
    return _form_page(
        request, case, form, service, {"case": case}, done=done, title=title, back=case
    )


@case_worker_required
def birth_date_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, BirthDateForm, services.birth_date_record,
        _("Date of birth of %(name)s"), _("The date of birth was recorded."),
    )  # fmt: skip


@case_worker_required
def status_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, AsylumStatusForm, services.asylum_status_record,
        _("Asylum status of %(name)s"), _("The status was recorded."),
    )  # fmt: skip


@case_worker_required
def guardian_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, GuardianForm, services.guardian_appoint,
        _("Guardian of %(name)s"), _("The guardian was recorded."),
    )  # fmt: skip


@case_worker_required
def decision_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, DecisionForm, services.decision_record,
        _("Placement decision for %(name)s"), _("The placement decision was recorded."),
        {"homes": access.homes_for_decisions(request.user).order_by("name")},
    )  # fmt: skip


@case_worker_required
def guardian_end(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = access.get_guardian_for_user(request.user, public_id)
    form = GuardianEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    title = _("End the appointment of %(guardian)s") % {"guardian": isolate_text(appointment.name)}
    return _form_page(
        request, appointment.case, form, services.guardian_end, {"appointment": appointment},
        done=_("The appointment was ended."), title=title, back=appointment.case,
    )  # fmt: skip


def _decision_page(
    request: HttpRequest, public_id: str, form_class: Any, service: Any, title: str, done: str,
    initial: Any,
) -> HttpResponse:  # fmt: skip
    """A form that ends or withdraws one placement decision of a case the user holds."""
    decision = access.get_decision_for_user(request.user, public_id)
    case = services.case_of_decision(decision)
    form = form_class(request.POST or None, initial=initial(decision))
    intro = _("%(home)s, from %(from)s, decided on %(on)s.") % {
        "home": decision.site.name,
        "from": decision.valid_from.isoformat(),
        "on": decision.decided_on.isoformat(),
    }
    title = title % {"name": isolate_text(_name(case))}
    return _form_page(
        request, case, form, service, {"decision": decision}, done=done, title=title,
        intro=intro, back=case,
    )  # fmt: skip


@case_worker_required
def decision_end(request: HttpRequest, public_id: str) -> HttpResponse:
    return _decision_page(
        request, public_id, DecisionEndForm, services.decision_end,
        _("End the placement decision for %(name)s"), _("The decision's last day was recorded."),
        lambda decision: {"valid_to": decision.valid_to or timezone.localdate()},
    )  # fmt: skip


@case_worker_required
def decision_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    return _decision_page(
        request, public_id, DecisionWithdrawForm, services.decision_withdraw,
        _("Withdraw the placement decision for %(name)s"), _("The decision was withdrawn."),
        lambda decision: {},
    )  # fmt: skip


def _decided_units(case: ChildCase, today: Any) -> Any:
    """Units with a free bed today in the homes that the child's current or coming decisions
    name (a full room is no choice)."""
    decided = PlacementDecision.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        household_id=case.person.household_id,
        withdrawn_on__isnull=True,
    ).values("site_id")
    return (
        units_with_capacity(Unit.objects.filter(site_id__in=decided), today)
        .filter(beds_free__gt=0)
        .select_related("site")
        .order_by("site__name", "name")
    )


@case_worker_required
def child_place(request: HttpRequest, public_id: str) -> HttpResponse:
    """Place a child who waits for a place, or move one to another home a decision names."""
    case = access.get_managed_case_for_user(request.user, public_id)
    _audit_named(request, case)
    today = timezone.localdate()
    placing = services.pending_allocation(case) is not None
    stay = None if placing else services.current_stay(case, today)
    if not placing and stay is None:
        raise Http404
    units = _decided_units(case, today)
    if stay is not None:
        units = units.exclude(pk=stay.unit_id)
    first = units.first()  # the first free room, chosen already: the home decides the rest
    form = ChildPlaceForm(
        request.POST or None,
        units=units,
        initial={"on": today, "unit": first.public_id if first else None},
    )
    if request.method == "POST" and form.is_valid():
        service = services.child_place if placing else services.child_move
        done = call_service(form, service, actor=request.user, case=case, **form.cleaned_data)
        if done is not None:
            messages.success(
                request, _("The child is placed.") if placing else _("The move is recorded.")
            )
            return redirect("case_detail", case.public_id)
    intro = (
        _("The rooms with a free bed in the homes that your placement decisions name.")
        if first
        else _(
            "No room is free in the homes that your decisions name, or there is no decision "
            "yet: the child is placed only in a home a decision names."
        )
    )
    title = (_("Place %(name)s") if placing else _("Move %(name)s")) % {
        "name": isolate_text(_name(case))
    }
    return render(
        request, "form_page.html", {"form": form, "title": title, "intro": intro, "back": case}
    )


@cases_required
def turning_18(request: HttpRequest) -> HttpResponse:
    rows = selectors.turning_18(access.visible_cases(request.user), timezone.localdate())
    stays = selectors.current_stays([row.case for row in rows])
    audit_views(
        actor=request.user,
        objs=[row.case.person for row in rows],
        summary=gettext_noop("young people turning 18"),
    )
    return render(
        request,
        "minors/turning_18.html",
        {
            "rows": [(row, stays.get(row.case.person.household_id)) for row in rows],
            "days": selectors.TURNING_18_DAYS,
            "is_case_worker": core_access.is_case_worker(request.user),
        },
    )


@case_worker_required
def after_18_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, AfterEighteenForm, services.after_18_record,
        _("At 18: %(name)s"), _("The decision for 18 was recorded."),
    )  # fmt: skip


@case_worker_required
def child_leave(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, ChildLeaveForm, services.child_leave,
        _("%(name)s moves out"), _("The move-out was recorded."),
    )  # fmt: skip


@case_worker_required
def case_close(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_form_page(
        request, public_id, CaseCloseForm, services.case_close,
        _("Close the case of %(name)s"), _("The case was closed."),
    )  # fmt: skip


@case_worker_required
@require_POST
def case_reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_managed_case_for_user(request.user, public_id)
    if call_service_or_message(request, services.case_reopen, actor=request.user, case=case):
        messages.success(request, _("The case is open again."))
    return redirect("case_detail", case.public_id)


@case_worker_required
@require_POST
def case_take_over(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, public_id)
    if call_service_or_message(request, services.case_take_over, actor=request.user, case=case):
        messages.success(request, _("The case is yours now."))
    return redirect("case_detail", case.public_id)


volunteer_keepers_required = access_required(access.keeps_volunteers)


@volunteer_keepers_required
def volunteers(request: HttpRequest) -> HttpResponse:
    """The organisation's volunteers who work with children, their record checks, and the
    children they are linked to (first name, last name and age only)."""
    membership = core_access.membership_of(request.user)
    assert membership is not None  # the page's rule
    today = timezone.localdate()
    own = list(
        Volunteer.objects.filter(organisation_id=membership.organisation_id, active=True)
        .select_related("with_children")
        .order_by("alias")
    )
    rows = []
    for volunteer in own:
        child_volunteer = getattr(volunteer, "with_children", None)
        rows.append(
            {
                "volunteer": volunteer,
                "with_children": child_volunteer,
                "problem": services.record_problem(child_volunteer, today)
                if child_volunteer
                else "",
            }
        )
    links = list(
        access.volunteer_links(request.user)
        .select_related("case__person", "volunteer__volunteer")
        .order_by("-starts_on")
    )
    audit_views(
        actor=request.user,
        objs=[link.case.person for link in links],
        summary=gettext_noop("children linked to volunteers"),
    )
    return render(
        request,
        "minors/volunteers.html",
        {
            "rows": rows,
            "links": [(link, age_on(link.case.person.birth_date, today)) for link in links],
        },
    )


@volunteer_keepers_required
def child_volunteer_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = core_access.membership_of(request.user)
    assert membership is not None
    volunteer = core_access.get_by_public_id(
        Volunteer.objects.filter(organisation_id=membership.organisation_id, active=True),
        public_id,
    )
    existing = ChildVolunteer.objects.filter(volunteer=volunteer).first()
    form = ChildVolunteerForm(
        request.POST or None,
        initial={"kind": existing.kind, "record_issued_on": existing.record_issued_on}
        if existing
        else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.child_volunteer_record, actor=request.user, volunteer=volunteer,
            **form.cleaned_data,
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("The record check was saved."))
            return redirect("minors_volunteers")
    title = _("%(volunteer)s works with children") % {"volunteer": isolate_text(volunteer.alias)}
    return render(request, "form_page.html", {"form": form, "title": title})


@cases_required
def volunteer_link_add(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_linkable_case_for_user(request.user, public_id)
    _audit_named(request, case)
    today = timezone.localdate()
    volunteers = (
        ChildVolunteer.objects.filter(volunteer__active=True)
        .select_related("volunteer__organisation")
        .order_by("volunteer__organisation__name", "volunteer__alias")
    )
    form = VolunteerLinkForm(
        request.POST or None,
        volunteers=volunteers,
        initial={"starts_on": today, "child_agreed_on": today, "guardian_agreed_on": today},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.volunteer_link, actor=request.user, case=case, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The volunteer is linked to the child."))
            return redirect("case_detail", case.public_id)
    title = _("A volunteer for %(name)s") % {"name": isolate_text(_name(case))}
    intro = _(
        "Contact families, leisure volunteers and mentors whose organisation has seen a "
        "criminal-record extract for work with children, issued within the last year."
    )
    return render(
        request, "form_page.html", {"form": form, "title": title, "intro": intro, "back": case}
    )


@volunteer_keepers_required
def meeting_add(request: HttpRequest, public_id: str) -> HttpResponse:
    link = access.get_volunteer_link_for_user(request.user, public_id)
    form = MeetingForm(
        request.POST or None,
        services=own_services(request.user).order_by("name_sv"),
        initial={"on": timezone.localdate()},
    )
    title = _("A meeting of %(volunteer)s and %(name)s") % {
        "volunteer": isolate_text(link.volunteer.volunteer.alias),
        "name": isolate_text(_name(link.case)),
    }
    return _form_page(
        request, link.case, form, services.meeting_record, {"link": link},
        done=_("The meeting was recorded."), title=title, then=reverse("minors_volunteers"),
    )  # fmt: skip


@cases_required
def plan_goal_add(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_linkable_case_for_user(request.user, public_id)  # writes_plan's two
    title = _("Implementation plan of %(name)s") % {"name": isolate_text(_name(case))}
    return _form_page(
        request, case, PlanGoalForm(request.POST or None), services.plan_goal_add,
        {"case": case}, done=_("The goal was added to the plan."), title=title, back=case,
    )  # fmt: skip


@cases_required
def plan_goal_follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = access.get_plan_goal_for_user(request.user, public_id)
    form = PlanFollowUpForm(request.POST or None, initial={"followed_up_on": timezone.localdate()})
    title = _("Follow-up: %(goal)s") % {"goal": goal.get_area_display()}
    return _form_page(
        request, goal.case, form, services.plan_goal_follow_up, {"goal": goal},
        done=_("The follow-up was recorded."), title=title, intro=goal.goal, back=goal.case,
    )  # fmt: skip


@cases_required
def volunteer_link_end(request: HttpRequest, public_id: str) -> HttpResponse:
    link = access.get_endable_link_for_user(request.user, public_id)
    form = LinkEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    person = link.case.person
    title = _("End the link of %(volunteer)s and %(name)s") % {
        "volunteer": isolate_text(link.volunteer.volunteer.alias),
        "name": isolate_text(f"{person.first_name} {person.last_name}"),
    }
    then = "" if access.links_volunteers(request.user, link.case) else reverse("minors_volunteers")
    return _form_page(
        request, link.case, form, services.volunteer_link_end, {"link": link},
        done=_("The link was ended."), title=title, then=then,
    )  # fmt: skip


# -- services of the catalogue for children ----------------------------------------------------


def _open_places(today: Any) -> Any:
    return (
        access.summer_places()
        .filter(ends_on__gte=today)
        .annotate(taken=Count("enrolments"))
        .filter(taken__lt=F("places"))
        .order_by("starts_on", "employer")
    )


@cases_required
def enrolment_add(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_linkable_case_for_user(request.user, public_id)
    _audit_named(request, case)
    today = timezone.localdate()
    form = EnrolmentForm(
        request.POST or None,
        services=access.child_services().order_by("organisation__name", "name_sv"),
        places=_open_places(today),
        initial={"starts_on": today},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.service_enrol, actor=request.user, case=case, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The child has a place in the service."))
            return redirect("case_detail", case.public_id)
    title = _("A place in a service for %(name)s") % {"name": isolate_text(_name(case))}
    intro = _(
        "The service's organisation will see the child's name and age, and record the sessions."
    )
    return render(
        request, "form_page.html", {"form": form, "title": title, "intro": intro, "back": case}
    )


@volunteer_keepers_required
def service_children(request: HttpRequest) -> HttpResponse:
    """The children in the organisation's services now (name and age only), to record the
    sessions."""
    today = timezone.localdate()
    enrolments = list(
        access.service_enrolments(request.user)
        .select_related("case__person", "service", "summer_place")
        .order_by("service__name_sv", "case__person__first_name")
    )
    audit_views(
        actor=request.user,
        objs=[enrolment.case.person for enrolment in enrolments],
        summary=gettext_noop("children in the organisation's services"),
    )
    return render(
        request,
        "minors/service_children.html",
        {
            "rows": [(e, age_on(e.case.person.birth_date, today)) for e in enrolments],
            "keeps_places": access.keeps_summer_places(request.user).exists(),
        },
    )


@volunteer_keepers_required
def session_add(request: HttpRequest, public_id: str) -> HttpResponse:
    enrolment = access.get_enrolment_for_provider(request.user, public_id)
    form = SessionForm(request.POST or None, initial={"on": timezone.localdate()})
    title = _("%(service)s with %(name)s") % {
        "service": enrolment.service.name(),
        "name": isolate_text(_name(enrolment.case)),
    }
    intro = (
        _("Only your organisation reads the note.")
        if enrolment.service.notes_confidential
        else _("The child's case worker and home read the note too.")
    )
    return _form_page(
        request, enrolment.case, form, services.session_record, {"enrolment": enrolment},
        done=_("The session was recorded."), title=title, intro=intro,
        then=reverse("service_children"),
    )  # fmt: skip


@cases_required
def enrolment_end(request: HttpRequest, public_id: str) -> HttpResponse:
    enrolment = access.get_endable_enrolment_for_user(request.user, public_id)
    case = enrolment.case
    form = EnrolmentEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    title = _("End the place of %(name)s in %(service)s") % {
        "name": isolate_text(_name(case)),
        "service": enrolment.service.name(),
    }
    then = "" if access.links_volunteers(request.user, case) else reverse("service_children")
    return _form_page(
        request, case, form, services.service_enrolment_end, {"enrolment": enrolment},
        done=_("The place was ended."), title=title, then=then,
    )  # fmt: skip


summer_places_required = access_required(access.sees_summer_places)


@summer_places_required
def summer_places(request: HttpRequest) -> HttpResponse:
    """The summer coordinator's list of internship places, a year at a time, with the young
    people placed (shown by name to the workplace's organisation only); downloadable."""
    today = timezone.localdate()
    years = sorted(
        {day.year for day in access.summer_places().dates("starts_on", "year")} | {today.year},
        reverse=True,
    )
    year = params.get_int(request.GET, "year", today.year, minimum=2000, maximum=2100)
    if year not in years:
        year = today.year
    places = list(
        access.summer_places()
        .filter(starts_on__year=year)
        .annotate(taken=Count("enrolments"))
        .order_by("starts_on", "employer")
    )
    own = set(access.keeps_summer_places(request.user).values_list("pk", flat=True))
    children: dict[int, list[Any]] = {}
    shown = []
    # Who took a place: to the workplace's organisation, and only while the place is current.
    for enrolment in (
        access.current_enrolments()
        .filter(summer_place__in=[p for p in places if p.service_id in own])
        .select_related("case__person")
    ):
        children.setdefault(enrolment.summer_place_id or 0, []).append(enrolment.case.person)
        shown.append(enrolment.case.person)
    if shown:
        audit_views(
            actor=request.user, objs=shown, summary=gettext_noop("summer internship places")
        )
    rows = [(place, children.get(place.pk, [])) for place in places]
    if request.GET.get("format") == "xlsx":
        return _summer_places_download(request, year, rows)
    return render(
        request,
        "minors/summer_places.html",
        {
            "rows": rows,
            "year": year,
            "years": years,
            "places": sum(place.places for place in places),
            "taken": sum(place.taken for place in places),
            "keeps_places": bool(own),
        },
    )


def _summer_line(place: Any, persons: list[Any]) -> list[object]:
    return [
        place.employer, place.tasks, place.area, place.starts_on, place.ends_on, place.min_age,
        place.places, place.taken, place.contact, place.service.organisation.name,
        ", ".join(f"{p.first_name} {p.last_name}" for p in persons),
    ]  # fmt: skip


def _summer_places_download(request: HttpRequest, year: int, rows: list[Any]) -> HttpResponse:
    header = [
        _("Workplace"), _("Tasks"), _("District"), _("From"), _("To"), _("From the age of"),
        _("Places"), _("Taken"), _("Contact at the workplace"), _("Offered by"), _("Young people"),
    ]  # fmt: skip
    lines = [_summer_line(place, persons) for place, persons in rows]
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=None,
        summary=gettext_noop("summer internship places %(year)s, %(count)s rows"),
        params={"year": year, "count": len(lines)},
    )
    placed = [person for _place, persons in rows for person in persons]
    if placed:
        # A list of young people by name leaves the system in this file.
        record_disclosure(
            actor=request.user, persons=placed,
            recipient=gettext_noop("the summer workplaces and their organisers"),
            what=gettext_noop("summer internship places %(year)s with the young people"),
            params={"year": year}, basis=DisclosureBasis.AGREEMENT,
        )  # fmt: skip
    return xlsx_download(f"sommarpraktik-{year}.xlsx", _("Summer internships")[:31], header, lines)


@volunteer_keepers_required
def summer_place_add(request: HttpRequest) -> HttpResponse:
    own = access.keeps_summer_places(request.user).order_by("name_sv")
    if not own.exists():
        raise Http404
    form = SummerPlaceForm(request.POST or None, services=own)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.summer_place_record, actor=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, _("The place was added."))
            return redirect(f"{reverse('summer_places')}?year={saved.starts_on.year}")
    return render(
        request, "form_page.html", {"form": form, "title": _("A summer internship place")}
    )


# -- family reunification ----------------------------------------------------------------------


@cases_required
def reunification_open(request: HttpRequest, public_id: str) -> HttpResponse:
    case = access.get_linkable_case_for_user(request.user, public_id)
    _audit_named(request, case)
    form = ReunificationOpenForm(
        request.POST or None,
        organisations=access.helping_organisations(),
        initial={"opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.reunification_open, actor=request.user, case=case,
            **form.cleaned_data,
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("The family reunification was opened."))
            return redirect("reunification_detail", saved.public_id)
    title = _("Family reunification for %(name)s") % {"name": isolate_text(_name(case))}
    intro = _("The organisation that helps will see the child's name and age and this record.")
    return render(
        request, "form_page.html", {"form": form, "title": title, "intro": intro, "back": case}
    )


@cases_required
def reunification_list(request: HttpRequest) -> HttpResponse:
    """The family reunifications the user follows: their children's, and those their
    organisation helps with."""
    today = timezone.localdate()
    reunifications = list(
        access.visible_reunifications(request.user)
        .select_related("case__person", "helped_by")
        .prefetch_related("events")
        .order_by(F("closed_on").asc(nulls_first=True), "-opened_on")
    )
    audit_views(
        actor=request.user,
        objs=[r.case.person for r in reunifications],
        summary=gettext_noop("family reunifications"),
    )
    rows = [(r, age_on(r.case.person.birth_date, today), _last_step(r)) for r in reunifications]
    return render(request, "minors/reunification_list.html", {"rows": rows})


def _last_step(reunification: Any) -> Any:
    events = list(reunification.events.all())
    return events[-1] if events else None


@cases_required
def reunification_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    reunification = access.get_reunification_for_user(request.user, public_id)
    person = reunification.case.person
    writes = access.writes_reunification(request.user, reunification) and (
        reunification.closed_on is None
    )
    relatives = reunification.relatives.all()
    posted = request.POST.get("form") if request.method == "POST" else None
    relative_form = RelativeForm(request.POST if posted == "relative" else None)
    step_form = ReunificationStepForm(
        request.POST if posted == "step" else None,
        relatives=relatives,
        initial={"on": timezone.localdate()},
    )
    if posted and not writes:
        raise Http404
    if posted == "relative" and relative_form.is_valid():
        if call_service(
            relative_form, services.relative_add, actor=request.user,
            reunification=reunification, **relative_form.cleaned_data,
        ) is not None:  # fmt: skip
            messages.success(request, _("The relative was added."))
            return redirect("reunification_detail", reunification.public_id)
    if posted == "step" and step_form.is_valid():
        if call_service(
            step_form, services.reunification_step, actor=request.user,
            reunification=reunification, **step_form.cleaned_data,
        ) is not None:  # fmt: skip
            messages.success(request, _("The step was recorded."))
            return redirect("reunification_detail", reunification.public_id)
    audit_views(
        actor=request.user, objs=[person, reunification], summary=gettext_noop("reunification")
    )
    return render(
        request,
        "minors/reunification_detail.html",
        {
            "reunification": reunification,
            "person": person,
            "age": age_on(person.birth_date, timezone.localdate()),
            "relatives": list(relatives),
            "events": list(reunification.events.select_related("relative", "recorded_by")),
            "writes": writes,
            "sees_case": access.visible_cases(request.user)
            .filter(pk=reunification.case_id)
            .exists(),
            **page_forms(relative_form=relative_form, step_form=step_form),
        },
    )
