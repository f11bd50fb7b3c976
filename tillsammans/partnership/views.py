from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tillsammans.core import access
from tillsammans.core.decorators import coordinator_required, member_required
from tillsammans.core.viewlib import (
    call_service,
    call_service_or_message,
    form_errors_as_messages,
)

from . import services
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    OrganisationForm,
    OrganisationProfileForm,
    RoleForm,
)
from .models import MUNICIPAL_ROLES, Membership, Organisation, Role


@member_required
def partnership(request: HttpRequest) -> HttpResponse:
    agreements = access.visible_agreements(request.user).prefetch_related(
        "parties", "targets", "groups__members__organisation"
    )
    # A partner sees the organisations it works with; the coordinator every one registered.
    organisations = Organisation.objects.order_by("name")
    if not access.is_coordinator(request.user):
        organisations = organisations.filter(parties__agreement__in=agreements).distinct()
    return render(
        request,
        "partnership/overview.html",
        {"agreements": agreements, "organisations": organisations, "title": _("Partnership")},
    )


@coordinator_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = call_service(
            form, services.organisation_create, actor=request.user, **form.cleaned_data
        )
        if organisation is not None:
            messages.success(
                request,
                _("%(name)s is registered. Add its first user under Users.")
                % {"name": organisation.name},
            )
            return redirect("member_list", organisation.slug)
    return render(request, "form_page.html", {"form": form, "title": _("Register an organisation")})


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    membership = access.membership_of(request.user)
    if membership is None:
        raise Http404
    if membership.role == Role.COORDINATOR:
        return get_object_or_404(Organisation, slug=slug)
    if membership.role == Role.PARTNER_ADMIN and membership.organisation.slug == slug:
        return membership.organisation
    raise Http404


@member_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    allow_coordinator = access.can_make_coordinator(request.user, organisation)
    form = InvitationForm(request.POST or None, allow_coordinator=allow_coordinator)
    if request.method == "POST" and form.is_valid():
        invitation = call_service(
            form,
            services.invitation_create,
            actor=request.user,
            organisation=organisation,
            site_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        )
        if invitation is not None:
            messages.success(
                request,
                _("An invitation is e-mailed to %(email)s. It can be used until %(day)s.")
                % {
                    "email": invitation.email,
                    "day": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("member_list", organisation.slug)
    members = organisation.memberships.select_related("user").order_by("user__email")
    roles = [
        (value, label)
        for value, label in Role.choices
        if allow_coordinator or value not in MUNICIPAL_ROLES
    ]
    now = timezone.now()
    invitations = [
        invitation
        for invitation in organisation.invitations.filter(
            accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        if invitation.pending_at(now)
    ]
    return render(
        request,
        "partnership/member_list.html",
        {
            "organisation": organisation,
            "members": members,
            "roles": roles,
            "invitations": invitations,
            "form": form,
            "title": organisation.name,
        },
    )


@member_required
@require_POST
def member_role(request: HttpRequest, slug: str, user_id: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        organisation=organisation,
        user__public_id=user_id,
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request,
        services.member_role_set,
        actor=request.user,
        membership=membership,
        role=form.cleaned_data["role"],
    ):
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": membership.get_role_display()},
        )
    return redirect("member_list", organisation.slug)


@member_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, invitation_id: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    invitation = get_object_or_404(organisation.invitations, public_id=invitation_id)
    withdrawn = call_service_or_message(
        request, services.invitation_withdraw, actor=request.user, invitation=invitation
    )
    if withdrawn is not None:
        messages.success(
            request, _("The invitation of %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("member_list", organisation.slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: choose a password and start working. Anyone with
    the link may open it; it says nothing about an invitation that does not exist."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    if request.user.is_authenticated:
        return render(
            request,
            "partnership/invitation.html",
            {"problem": _("Log out first: this invitation is for someone new."),
             "title": _("Invitation")},
            status=409,
        )  # fmt: skip
    now = timezone.now()
    if not invitation.pending_at(now):
        if invitation.accepted_at is not None:
            problem = _("This invitation has been used. Log in with your e-mail address.")
        else:
            problem = _(
                "This invitation has expired or was withdrawn. Ask %(organisation)s's "
                "administrator or the coordinator for a new one."
            ) % {"organisation": invitation.organisation.name}
        return render(
            request,
            "partnership/invitation.html",
            {"problem": problem, "title": _("Invitation")},
            status=410,
        )
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = call_service(
            form, services.invitation_accept, token=token, password=form.cleaned_data["password1"]
        )
        if membership is not None:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Tillsammans."))
            return redirect("dashboard")
    return render(
        request,
        "partnership/invitation.html",
        {"form": form, "invitation": invitation, "title": _("Invitation")},
    )


@member_required
@require_POST
def member_toggle(request: HttpRequest, slug: str, user_id: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        organisation=organisation,
        user__public_id=user_id,
    )
    done = call_service_or_message(
        request,
        services.member_set_active,
        actor=request.user,
        membership=membership,
        active=not membership.user.is_active,
    )
    if done is not None:
        messages.success(request, _("The user was updated."))
    return redirect("member_list", organisation.slug)


@member_required
@require_http_methods(["GET", "POST"])
def organisation_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's web address and logo, by its admin or the coordinator."""
    organisation = _managed_organisation(request, slug)
    form = OrganisationProfileForm(
        request.POST or None, request.FILES or None, initial={"website": organisation.website}
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.organisation_profile_update,
            actor=request.user,
            organisation=organisation,
            website=form.cleaned_data["website"],
            logo=form.cleaned_data["logo"] or None,
            remove_logo=form.cleaned_data["remove_logo"],
        ):
            messages.success(request, _("%(name)s is saved.") % {"name": organisation.name})
            return redirect("partnership")
    return render(
        request,
        "partnership/organisation_profile.html",
        {"form": form, "organisation": organisation, "title": organisation.name},
    )


@member_required
def organisation_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's logo, as every member sees it in the partnership and its report."""
    organisation = get_object_or_404(Organisation.objects.select_related("logo"), slug=slug)
    if organisation.logo is None:
        raise Http404
    response = HttpResponse(
        bytes(organisation.logo.content), content_type=organisation.logo.content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
