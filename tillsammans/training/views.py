from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core.audit import audit_view
from tillsammans.core.decorators import member_required, people_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.lib import params
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.viewlib import call_service, form_errors_as_messages

from . import selectors, services
from .forms import AttendanceForm, HoursForm, SessionForm, VolunteerEditForm, VolunteerForm
from .models import TrainingTopic

PER_PAGE = 25


@member_required
def training_list(request: HttpRequest) -> HttpResponse:
    topic = params.get_choice(request.GET, "topic", TrainingTopic.values, "")
    sessions = selectors.visible_sessions(request.user).annotate(
        attending=Sum("attendances__staff_count")
    )
    if topic in TrainingTopic.values:
        sessions = sessions.filter(topic=topic)
    today = timezone.localdate()
    upcoming = sessions.filter(held_on__gte=today).order_by("held_on", "starts_at", "id")
    past = sessions.filter(held_on__lt=today).order_by("-held_on", "title", "id")
    return render(
        request,
        "training/training_list.html",
        {
            "upcoming": upcoming,
            "page": Paginator(past, PER_PAGE).get_page(params.get_page(request.GET)),
            "topics": TrainingTopic.choices,
            "topic": topic,
            "can_create": services.can_create_session(request.user),
            "title": _("Joint trainings"),
        },
    )


@member_required
def training_create(request: HttpRequest) -> HttpResponse:
    if not services.can_create_session(request.user):
        raise Http404
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = call_service(
            form, services.session_create, actor=request.user, **form.cleaned_data
        )
        if session is not None:
            messages.success(request, _("The training was added."))
            return redirect("training_detail", session.public_id)
    return render(request, "form_page.html", {"form": form, "title": _("Add a training")})


@member_required
def training_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, public_id)
    attendances = selectors.attendance_of(session, request.user)
    form = AttendanceForm(user=request.user, session=session)
    can_record = form.organisations.exists()
    return render(
        request,
        "training/training_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "attending": sum(row.staff_count for row in attendances),
            "form": form,
            "can_record": can_record,
            "can_edit": services.can_edit_session(request.user, session),
            "title": session.title,
        },
    )


@member_required
def training_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, public_id)
    if not services.can_edit_session(request.user, session):
        raise Http404
    initial = {
        "title": session.title,
        "topic": session.topic,
        "held_on": session.held_on,
        "starts_at": session.starts_at,
        "place": session.place,
        "organiser": session.organiser.slug,
        "max_seats": session.max_seats,
        "description": session.description,
    }
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form, services.session_update, actor=request.user, session=session, **form.cleaned_data
        ):
            messages.success(request, _("The training was saved."))
            return redirect("training_detail", session.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Edit the training %(title)s") % {"title": isolate_text(session.title)},
        },
    )


@member_required
@require_POST
def attendance_record(request: HttpRequest, public_id: str) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, public_id)
    form = AttendanceForm(request.POST, user=request.user, session=session)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("training_detail", session.public_id)
    data = form.cleaned_data
    try:
        done = services.attendance_record(
            actor=request.user,
            session=session,
            organisation=data["organisation"],
            staff_count=data["staff_count"],
            attendees=data["attendees"],
        )
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        if done is None:
            messages.success(request, _("The organisation was taken off the attendance."))
        else:
            messages.success(request, _("The attendance was saved."))
    return redirect("training_detail", session.public_id)


@people_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        volunteer = call_service(
            form, services.volunteer_create, actor=request.user, **form.cleaned_data
        )
        if volunteer is not None:
            messages.success(request, _("The volunteer was added."))
            return redirect("volunteer_detail", volunteer.public_id)
    volunteers = (
        selectors.visible_volunteers(request.user)
        .annotate(total=Sum("hours__hours"))
        .order_by("-active", "alias", "id")
    )
    query = params.get_text(request.GET, "q")
    if query:
        volunteers = volunteers.filter(Q(alias__icontains=query) | Q(helps_with__icontains=query))
    today = timezone.localdate()
    this_month = (
        selectors.visible_volunteers(request.user)
        .filter(hours__month=today.replace(day=1))
        .aggregate(n=Sum("hours__hours"))["n"]
    )
    return render(
        request,
        "training/volunteer_list.html",
        {
            "volunteers": volunteers,
            "form": form,
            "query": query,
            "this_month": this_month or 0,
            "title": _("Volunteers"),
        },
    )


@people_required
def volunteer_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.get_volunteer_for_user(request.user, public_id)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = call_service(
            form,
            services.volunteer_hours_record,
            actor=request.user,
            volunteer=volunteer,
            **form.cleaned_data,
        )
        if row is not None:
            messages.success(request, _("The hours were saved."))
            return redirect("volunteer_detail", volunteer.public_id)
    audit_view(actor=request.user, obj=volunteer, summary=gettext_noop("volunteer page"))
    return render(
        request,
        "training/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "hours": volunteer.hours.all(),
            "form": form,
            "title": volunteer.alias,
        },
    )


@people_required
def volunteer_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.get_volunteer_for_user(request.user, public_id)
    form = VolunteerEditForm(
        request.POST or None,
        initial={
            "alias": volunteer.alias,
            "helps_with": volunteer.helps_with,
            "active": volunteer.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.volunteer_update,
            actor=request.user,
            volunteer=volunteer,
            **form.cleaned_data,
        ):
            messages.success(request, _("The volunteer was saved."))
            return redirect("volunteer_detail", volunteer.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Edit volunteer %(alias)s") % {"alias": isolate_text(volunteer.alias)},
        },
    )
