import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core.audit import audit_record, audit_views
from tillsammans.core.decorators import access_required, member_required
from tillsammans.core.disclosures import record_disclosure
from tillsammans.core.lib import params
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.models import AuditAction, DisclosureBasis
from tillsammans.core.viewlib import (
    call_service,
    call_service_or_message,
    form_errors_as_messages,
    page_forms,
)
from tillsammans.partnership.models import Organisation

from . import matching, selectors, services
from .forms import (
    ContactForm,
    EmployerForm,
    EnrolForm,
    FollowUpForm,
    JobEndedForm,
    OpeningForm,
    ProfileForm,
    ProposeForm,
    StageForm,
)
from .models import LANGUAGES, JobSeeker, Opening, Stage
from .services import OPENING_FIELDS, PROFILE_FIELDS

# The coaches of a job programme and the coordinator, who reads; others get the same 404 as
# a miss. Enrolling is for the coaches alone.
jobs_required = access_required(selectors.sees_jobs)
coaches_required = access_required(selectors.is_coach)


@jobs_required
def jobs_home(request: HttpRequest) -> HttpResponse:
    seekers = selectors.visible_job_seekers(request.user)
    columns = selectors.board(seekers)
    shown = sum(len(cards) for _stage, _label, cards in columns)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="jobs.jobseeker",
        summary=gettext_noop("caseload board, job seekers shown: %(shown)s"),
        params={"shown": shown},
    )
    audit_views(
        actor=request.user,
        objs=[seeker.person for _stage, _label, cards in columns for seeker in cards],
        summary=gettext_noop("Jobbstart caseload board"),
    )
    return render(
        request,
        "jobs/home.html",
        {
            "columns": columns,
            "is_coach": selectors.is_coach(request.user),
            "ended": seekers.filter(stage=Stage.ENDED).count(),
            "title": _("Jobbstart: caseload"),
        },
    )


@coaches_required
def job_seeker_enrol(request: HttpRequest) -> HttpResponse:
    form = EnrolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seeker = call_service(
            form,
            services.job_seeker_enrol,
            actor=request.user,
            person=data["person"],
            enrolled_on=data["enrolled_on"],
            consent_given_on=data["consent_given_on"],
            consent_explained_in=data["consent_explained_in"],
            **{name: data[name] for name in PROFILE_FIELDS},
        )
        if seeker is not None:
            messages.success(request, _("The job seeker is enrolled."))
            return redirect("job_seeker_detail", seeker.public_id)
    # Every resident the coach may enrol is offered by name and year of birth.
    audit_views(
        actor=request.user,
        objs=form.persons,
        summary=gettext_noop("Jobbstart enrolment form"),
    )
    return render(request, "jobs/enrol.html", {"form": form, "title": _("Enrol a job seeker")})


def _matches_for_seeker(seeker: JobSeeker, user: Any) -> list[tuple[Opening, Any]]:
    if not seeker.is_active:
        return []
    found = matching.openings_for_seeker(seeker, openings=selectors.visible_openings(user))
    openings = selectors.visible_openings(user).select_related("employer", "occupation")
    by_id = openings.in_bulk([match.id for match in found])
    return [(by_id[match.id], match) for match in found if match.id in by_id]


@jobs_required
def job_seeker_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    seeker = selectors.get_job_seeker_for_user(request.user, public_id)
    audit_views(
        actor=request.user, objs=[seeker, seeker.person], summary=gettext_noop("job seeker page")
    )
    proposed = set(seeker.proposals.values_list("opening_id", flat=True))
    return render(
        request,
        "jobs/seeker_detail.html",
        {
            "seeker": seeker,
            "languages": seeker.languages_spoken(),
            **page_forms(
                stage_form=StageForm(seeker=seeker, user=request.user)
                if seeker.next_stages
                else None,
                follow_up_form=FollowUpForm(),
                job_ended_form=JobEndedForm(),
            ),
            "follow_ups": seeker.follow_ups.select_related("by"),
            "history": seeker.stage_changes.all().order_by("-on", "-id"),
            "proposals": seeker.proposals.select_related("opening__employer"),
            "employments": seeker.employments.select_related("employer"),
            "matches": _matches_for_seeker(seeker, request.user),
            "proposed": proposed,
            "is_coach": selectors.is_coach(request.user),
            "title": str(seeker.person),
        },
    )


@jobs_required
def job_seeker_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    seeker = selectors.get_job_seeker_for_user(request.user, public_id)
    audit_views(
        actor=request.user,
        objs=[seeker, seeker.person],
        summary=gettext_noop("job seeker profile form"),
    )
    form = ProfileForm(request.POST or None, instance=seeker)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.job_seeker_update,
            actor=request.user,
            seeker=seeker,
            **{name: form.cleaned_data[name] for name in PROFILE_FIELDS},
        )
        if saved is not None:
            messages.success(request, _("The profile is saved."))
            return redirect("job_seeker_detail", seeker.public_id)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("Profile of %(name)s") % {"name": seeker.person}},
    )


@jobs_required
def job_seeker_cv(request: HttpRequest, public_id: str) -> HttpResponse:
    from weasyprint import HTML

    seeker = selectors.get_job_seeker_for_user(request.user, public_id)
    html = render_to_string(
        "jobs/cv.html",
        {
            "seeker": seeker,
            "languages": seeker.languages_spoken(),
            "today": timezone.localdate(),
        },
    )
    pdf = HTML(string=html).write_pdf(pdf_tags=True)
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=seeker, summary=gettext_noop("CV as PDF")
    )
    audit_views(actor=request.user, objs=[seeker.person], summary=gettext_noop("CV as PDF"))
    # A CV is made to leave: for the employers the job seeker agreed to be presented to.
    record_disclosure(
        actor=request.user, persons=[seeker.person],
        recipient=gettext_noop("employers the job seeker is presented to"),
        what=gettext_noop("CV as PDF"), basis=DisclosureBasis.CONSENT, once_a_day=True,
    )  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("cv.pdf", inline=True)
    return response


@jobs_required
@require_POST
def job_seeker_stage(request: HttpRequest, public_id: str) -> HttpResponse:
    seeker = selectors.get_job_seeker_for_user(request.user, public_id)
    form = StageForm(request.POST, seeker=seeker, user=request.user)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("job_seeker_detail", seeker.public_id)
    data = form.cleaned_data
    changed = call_service_or_message(
        request,
        services.job_seeker_stage_change,
        actor=request.user,
        seeker=seeker,
        to=data["to"],
        expected=data["expected"],
        on=data["on"],
        end_reason=data["end_reason"],
        employer=data["employer"],
        employment_type=data["employment_type"],
        hours_per_week=data["hours_per_week"],
        starts_on=data["starts_on"],
    )
    if changed is not None:
        messages.success(request, _("Now: %(stage)s.") % {"stage": changed.get_stage_display()})
    return redirect("job_seeker_detail", seeker.public_id)


@jobs_required
@require_POST
def job_seeker_follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    seeker = selectors.get_job_seeker_for_user(request.user, public_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.follow_up_add, actor=request.user, seeker=seeker,
        on=form.cleaned_data["on"], note=form.cleaned_data["note"],
    ) is not None:  # fmt: skip
        messages.success(request, _("The follow-up is recorded."))
    return redirect("job_seeker_detail", seeker.public_id)


@jobs_required
@require_POST
def job_seeker_job_ended(request: HttpRequest, public_id: str) -> HttpResponse:
    """The job of someone whose follow-up is over ended after all (for the 3/6-month figures)."""
    seeker = selectors.get_job_seeker_for_user(request.user, public_id)
    form = JobEndedForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.employment_end, actor=request.user, seeker=seeker,
        on=form.cleaned_data["on"],
    ) is not None:  # fmt: skip
        messages.success(request, _("The end of the job is recorded."))
    return redirect("job_seeker_detail", seeker.public_id)


@jobs_required
def employer_list(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = call_service(
            form, services.employer_create, actor=request.user, **form.cleaned_data
        )
        if employer is not None:
            return redirect("employer_detail", employer.public_id)
    employers = selectors.visible_employers(request.user).select_related("organisation")
    return render(
        request,
        "jobs/employer_list.html",
        {
            "employers": employers,
            "openings": selectors.visible_openings(request.user)
            .filter(is_open=True)
            .select_related("employer", "occupation")
            .order_by("starts_on", "id"),
            "form": form if selectors.is_coach(request.user) else None,
            "title": _("Employers and openings"),
        },
    )


@jobs_required
def employer_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, public_id)
    return render(
        request,
        "jobs/employer_detail.html",
        {
            "employer": employer,
            "contacts": employer.contacts.all(),
            "openings": employer.openings.select_related("occupation"),
            "contact_form": ContactForm() if selectors.is_coach(request.user) else None,
            "title": employer.name,
        },
    )


@jobs_required
@require_POST
def employer_contact_add(request: HttpRequest, public_id: str) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, public_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    else:
        call_service_or_message(
            request,
            services.employer_contact_add,
            actor=request.user,
            employer=employer,
            **form.cleaned_data,
        )
    return redirect("employer_detail", employer.public_id)


@jobs_required
def opening_create(request: HttpRequest, public_id: str) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, public_id)
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opening = call_service(
            form,
            services.opening_create,
            actor=request.user,
            employer=employer,
            **{name: form.cleaned_data[name] for name in OPENING_FIELDS},
        )
        if opening is not None:
            messages.success(request, _("The opening is saved."))
            return redirect("opening_detail", opening.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("New opening at %(employer)s") % {"employer": isolate_text(str(employer))},
        },
    )


@jobs_required
def opening_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    opening = selectors.get_opening_for_user(request.user, public_id)
    seekers = selectors.visible_job_seekers(request.user)
    found = matching.seekers_for_opening(opening, seekers=seekers) if opening.is_open else []
    by_id = seekers.select_related("person", "wanted_occupation").in_bulk(
        [match.id for match in found]
    )
    ranked = [(by_id[match.id], match) for match in found if match.id in by_id]
    proposals = list(opening.proposals.select_related("seeker__person"))
    if ranked or proposals:
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            obj=opening,
            summary=gettext_noop("ranked job seekers: %(ranked)s"),
            params={"ranked": len(ranked)},
        )
    audit_views(
        actor=request.user,
        objs=[seeker.person for seeker, _match in ranked]
        + [proposal.seeker.person for proposal in proposals],
        summary=gettext_noop("opening: ranked and proposed job seekers"),
    )
    return render(
        request,
        "jobs/opening_detail.html",
        {
            "opening": opening,
            "requirements": [
                (label, getattr(opening, f"get_{name}_display")())
                for name, label in LANGUAGES
                if getattr(opening, name)
            ],
            "ranked": ranked,
            "proposals": proposals,
            "proposed": {proposal.seeker_id for proposal in proposals},
            "is_coach": selectors.is_coach(request.user),
            "title": opening.title,
        },
    )


@jobs_required
@require_POST
def opening_close(request: HttpRequest, public_id: str) -> HttpResponse:
    opening = selectors.get_opening_for_user(request.user, public_id)
    if call_service_or_message(
        request, services.opening_close, actor=request.user, opening=opening
    ):
        messages.success(request, _("The opening is closed."))
    return redirect("opening_detail", opening.public_id)


@jobs_required
@require_POST
def proposal_create(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST)
    if not form.is_valid():
        raise Http404
    seeker = selectors.get_job_seeker_for_user(request.user, form.cleaned_data["seeker"])
    opening = selectors.get_opening_for_user(request.user, form.cleaned_data["opening"])
    proposal = call_service_or_message(
        request, services.proposal_create, actor=request.user, seeker=seeker, opening=opening
    )
    if proposal is not None:
        messages.success(
            request,
            _("%(name)s is proposed for %(opening)s.")
            % {"name": seeker.person, "opening": isolate_text(opening.title)},
        )
    if params.get_choice(request.POST, "back", ("seeker",), "") == "seeker":
        return redirect("job_seeker_detail", seeker.public_id)
    return redirect("opening_detail", opening.public_id)


@member_required
def jobs_figures(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = params.get_int(request.GET, "year", today.year, minimum=2022, maximum=today.year + 1)
    months = []
    for month in range(1, 13):
        if dt.date(year, month, 1) > today:
            break
        months.append((month, selectors.monthly_figures(year, month)))
    names = dict(Organisation.objects.values_list("id", "short_name"))
    yearly = selectors.yearly_figures(year, today=today)
    stage_keys = [f"stage_{stage}" for stage in selectors.FIGURE_STAGES]
    rows = [
        (
            names.get(organisation_id, "?"),
            counts,
            [
                (
                    month,
                    figures.get(organisation_id, {}),
                    [figures.get(organisation_id, {}).get(key, 0) for key in stage_keys],
                )
                for month, figures in months
            ],
        )
        for organisation_id, counts in sorted(
            yearly.items(), key=lambda item: names.get(item[0], "")
        )
    ]
    return render(
        request,
        "jobs/figures.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(2022, today.year + 1)),
            "stages": [(f"stage_{stage}", Stage(stage).label) for stage in selectors.FIGURE_STAGES],
            "title": _("Jobbstart: figures"),
        },
    )
