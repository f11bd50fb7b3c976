from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.decorators import coordinator_required, member_required
from tillsammans.core.viewlib import call_service, call_service_or_message

from . import services
from .forms import MemberForm, OrganisationForm
from .models import Agreement, Membership, Organisation, Role


@member_required
def partnership(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.prefetch_related(
        "parties", "targets", "groups__members__organisation"
    )
    return render(
        request,
        "partnership/overview.html",
        {
            "agreements": agreements,
            "organisations": Organisation.objects.order_by("name"),
            "title": _("Partnership"),
        },
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
    form = MemberForm(
        request.POST or None,
        allow_coordinator=access.can_make_coordinator(request.user, organisation),
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.member_create,
            actor=request.user,
            organisation=organisation,
            **form.cleaned_data,
        ):
            messages.success(request, _("The user was added."))
            return redirect("member_list", organisation.slug)
    members = organisation.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "partnership/member_list.html",
        {
            "organisation": organisation,
            "members": members,
            "form": form,
            "title": organisation.name,
        },
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
