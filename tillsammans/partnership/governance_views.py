"""An agreement's governance pages: its groups and members, meetings, and the decisions to
follow up (downloadable). Every object is reached through an agreement the user's
organisation is party to: any other is the same 404 as a missing one."""

import datetime as dt

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.decorators import coordinator_required, member_required
from tillsammans.core.lib.downloads import xlsx_download
from tillsammans.core.models import AuditAction
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages

from . import governance_services as services
from .forms import DecisionForm, FollowUpForm, GroupForm, GroupMemberForm, MeetingForm
from .models import Agreement, Decision, GovernanceGroup, Meeting, Organisation


def _agreement(request: HttpRequest, agreement_id: str) -> Agreement:
    return access.get_agreement_for_user(request.user, agreement_id)


def _managed(request: HttpRequest, agreement_id: str) -> Agreement:
    return access.get_managed_agreement_for_user(request.user, agreement_id)


def _parties(agreement: Agreement) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parties__agreement=agreement).order_by("name")


def _group(agreement: Agreement, group_id: int) -> GovernanceGroup:
    return get_object_or_404(agreement.groups.select_related("agreement"), pk=group_id)


def _meeting(agreement: Agreement, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("group__agreement"),
        group__agreement=agreement,
        pk=meeting_id,
    )


def _decisions(agreement: Agreement) -> list[Decision]:
    """Open decisions first, the most urgent at the top; then those done, latest first."""
    decisions = list(
        Decision.objects.filter(meeting__group__agreement=agreement).select_related(
            "meeting__group", "owner"
        )
    )
    far = dt.date.max
    open_ = sorted(
        (d for d in decisions if d.done_on is None), key=lambda d: (d.due_on or far, d.pk)
    )
    done = sorted(
        (d for d in decisions if d.done_on is not None),
        key=lambda d: d.done_on or far,
        reverse=True,
    )
    return open_ + done


@member_required
def governance(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    writable = access.writable_parties(request.user, agreement)  # who may follow up what
    return render(
        request,
        "partnership/governance.html",
        {
            "agreement": agreement,
            "groups": agreement.groups.prefetch_related("members__organisation", "meetings"),
            "decisions": [
                (decision, decision.owner_id in writable) for decision in _decisions(agreement)
            ],
            "today": timezone.localdate(),
            "can_manage": access.can_manage_agreement(request.user, agreement),
            "title": _("Governance of %(agreement)s") % {"agreement": agreement.name},
        },
    )


@member_required
def decisions_download(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    decisions = _decisions(agreement)
    header = [
        _("Group"),
        _("Meeting"),
        _("Decision"),
        _("Responsible organisation"),
        _("Responsible person"),
        _("Due date"),
        _("Done on"),
        _("Follow-up"),
    ]
    rows = [
        [
            str(decision.meeting.group),
            decision.meeting.held_on,
            decision.text,
            decision.owner.name,
            decision.owner_name,
            decision.due_on,
            decision.done_on,
            decision.follow_up,
        ]
        for decision in decisions
    ]
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=agreement,
        summary=gettext_noop("decisions of %(agreement)s, %(count)s rows"),
        params={"agreement": agreement.name, "count": len(decisions)},
    )
    return xlsx_download(f"beslut-{agreement.name}.xlsx", _("Decisions"), header, rows)


@coordinator_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = call_service(
            form,
            services.group_create,
            actor=request.user,
            agreement=agreement,
            **form.cleaned_data,
        )
        if group is not None:
            messages.success(request, _("The group is created. Add its members."))
            return redirect("group_detail", agreement.public_id, group.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("New group in %(agreement)s") % {"agreement": agreement.name},
            "back": agreement,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, agreement_id: str, group_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    group = _group(agreement, group_id)
    can_manage = access.can_manage_agreement(request.user, agreement)
    form = (
        GroupMemberForm(request.POST or None, parties=_parties(agreement)) if can_manage else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if (
            form.is_valid()
            and call_service(
                form, services.member_add, actor=request.user, group=group, **form.cleaned_data
            )
            is not None
        ):
            messages.success(request, _("The member is added."))
            return redirect("group_detail", agreement.public_id, group.pk)
    return render(
        request,
        "partnership/group_detail.html",
        {
            "agreement": agreement,
            "group": group,
            "members": group.members.select_related("organisation"),
            "meetings": group.meetings.prefetch_related("decisions"),
            "form": form,
            "can_manage": can_manage,
            "title": str(group),
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def group_member_remove(
    request: HttpRequest, agreement_id: str, group_id: int, member_id: int
) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    group = _group(agreement, group_id)
    member = get_object_or_404(group.members.select_related("group__agreement"), pk=member_id)
    if request.method == "POST":
        services.member_remove(actor=request.user, member=member)
        messages.success(request, _("%(name)s has left the group.") % {"name": member.name})
        return redirect("group_detail", agreement.public_id, group.pk)
    return render(
        request,
        "confirm_page.html",
        {
            "title": _("Remove %(name)s from %(group)s?") % {"name": member.name, "group": group},
            "explanation": _("You can add the member again if this was a mistake."),
            "button": _("Remove from the group"),
            "back": agreement,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, agreement_id: str, group_id: int) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    group = _group(agreement, group_id)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        meeting = call_service(
            form, services.meeting_save, actor=request.user, group=group, **form.cleaned_data
        )
        if meeting is not None:
            messages.success(request, _("The meeting is recorded. Add its decisions below."))
            return redirect("meeting_detail", agreement.public_id, meeting.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("A meeting of %(group)s") % {"group": group},
            "back": agreement,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, agreement_id: str, meeting_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    meeting = _meeting(agreement, meeting_id)
    can_manage = access.can_manage_agreement(request.user, agreement)
    form = None
    if can_manage:
        form = MeetingForm(
            request.POST or None,
            initial={
                "held_on": meeting.held_on,
                "agenda": meeting.agenda,
                "minutes": meeting.minutes,
            },
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if (
            form.is_valid()
            and call_service(
                form,
                services.meeting_save,
                actor=request.user,
                group=meeting.group,
                meeting=meeting,
                **form.cleaned_data,
            )
            is not None
        ):
            messages.success(request, _("The meeting is saved."))
            return redirect("meeting_detail", agreement.public_id, meeting.pk)
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "agreement": agreement,
            "meeting": meeting,
            "decisions": meeting.decisions.select_related("owner"),
            "form": form,
            "decision_form": DecisionForm(parties=_parties(agreement)) if can_manage else None,
            "can_manage": can_manage,
            "title": _("%(group)s, %(day)s")
            % {"group": meeting.group, "day": meeting.held_on.isoformat()},
        },
    )


@coordinator_required
@require_POST
def decision_create(request: HttpRequest, agreement_id: str, meeting_id: int) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    meeting = _meeting(agreement, meeting_id)
    form = DecisionForm(request.POST, parties=_parties(agreement))
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.decision_add, actor=request.user, meeting=meeting, **form.cleaned_data
    ):
        messages.success(request, _("The decision is recorded."))
    return redirect("meeting_detail", agreement.public_id, meeting.pk)


@member_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, agreement_id: str, decision_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    decision = get_object_or_404(
        Decision.objects.select_related("meeting__group__agreement", "owner"),
        meeting__group__agreement=agreement,
        pk=decision_id,
    )
    if not services.can_follow_up(request.user, decision):
        raise Http404
    form = FollowUpForm(
        request.POST or None,
        initial={"follow_up": decision.follow_up, "done_on": decision.done_on},
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.decision_follow_up,
            actor=request.user,
            decision=decision,
            **form.cleaned_data,
        ):
            messages.success(request, _("The follow-up is saved."))
            return redirect("governance", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "intro": decision.text,
            "title": _("Follow up the decision of %(group)s, %(day)s")
            % {"group": decision.meeting.group, "day": decision.meeting.held_on.isoformat()},
            "back": agreement,
        },
    )
