from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_view, audit_views
from tillsammans.core.decorators import people_required
from tillsammans.core.lib import params
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages
from tillsammans.people.audit import audit_households_shown
from tillsammans.people.selectors import person_search

from . import selectors, services
from .forms import (
    ConsentForm,
    DeclineForm,
    DoneForm,
    ReferralForm,
    ResidentSearchForm,
    WithdrawForm,
)
from .models import ConsentScope, Referral, ReferralStatus

PER_PAGE = 30


@people_required
def referral_home(request: HttpRequest) -> HttpResponse:
    """The inbox (referrals to this organisation) or the sent list, and a resident search
    to start from."""
    form = ResidentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    persons = (
        person_search(access.visible_persons(request.user), query, limit=PER_PAGE) if query else []
    )
    audit_views(
        actor=request.user, objs=persons, summary=gettext_noop("resident search (referrals)")
    )
    box = params.get_choice(request.GET, "box", ("inbox", "sent"), "inbox")
    referrals = selectors.outbox(request.user) if box == "sent" else selectors.inbox(request.user)
    return render(
        request,
        "referrals/home.html",
        {
            "form": form,
            "query": query,
            "persons": persons,
            "box": box,
            "page": Paginator(referrals, PER_PAGE).get_page(params.get_page(request.GET)),
            "waiting": selectors.inbox(request.user).filter(status=ReferralStatus.SENT).count(),
            "title": _("Referrals"),
        },
    )


@people_required
def referral_household(request: HttpRequest, public_id: str) -> HttpResponse:
    household = access.get_household_for_user(request.user, public_id)
    consents = (
        selectors.visible_consents(request.user)
        .filter(household=household)
        .select_related("person", "recorded_by", "withdrawn_by")
        .prefetch_related("partners")
    )
    referrals = (
        selectors.visible_referrals(request.user)
        .filter(household=household)
        .select_related("service", "to_organisation", "person")
        .order_by("-sent_at", "-id")
    )
    audit_view(
        actor=request.user, obj=household, summary=gettext_noop("consent and referrals page")
    )
    audit_households_shown(
        actor=request.user,
        households=[household],
        summary=gettext_noop("consent and referrals page"),
    )
    return render(
        request,
        "referrals/household.html",
        {
            "household": household,
            "consents": consents,
            "referrals": referrals,
            "can_act": selectors.can_act_for(request.user, household),
            "title": _("Consent and referrals"),
        },
    )


@people_required
def consent_create(request: HttpRequest, public_id: str) -> HttpResponse:
    household = access.get_household_for_user(request.user, public_id)
    own = selectors.acting_organisation_id(request.user)
    form = ConsentForm(request.POST or None, household=household, own_organisation_id=own)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = call_service(
            form,
            services.consent_record,
            actor=request.user,
            household=household,
            person=data["person"],
            scopes=data["scopes"],
            any_partner=data["any_partner"],
            partners=list(data["partners"]),
            given_on=data["given_on"],
            explained_in=data["explained_in"],
        )
        if consent is not None:
            messages.success(request, _("The consent was recorded."))
            return redirect("referral_household", household.public_id)
    audit_view(actor=request.user, obj=household, summary=gettext_noop("consent form"))
    audit_households_shown(
        actor=request.user, households=[household], summary=gettext_noop("consent form")
    )
    return render(
        request,
        "referrals/consent_form.html",
        {"form": form, "household": household, "title": _("Record a consent")},
    )


@people_required
def consent_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    consent = selectors.get_consent_for_user(request.user, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closed = call_service(
            form,
            services.consent_withdraw,
            actor=request.user,
            consent=consent,
            on=form.cleaned_data["on"],
        )
        if closed is not None:
            messages.success(
                request,
                _(
                    "The withdrawal was recorded. Referrals closed: %(closed)s. The other "
                    "partners no longer see what was shared."
                )
                % {"closed": len(closed)},
            )
            return redirect("referral_household", consent.household.public_id)
    open_referrals = consent.referrals.filter(
        status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).select_related("service", "to_organisation")
    audit_view(
        actor=request.user, obj=consent.household, summary=gettext_noop("consent withdrawal form")
    )
    audit_households_shown(
        actor=request.user,
        households=[consent.household],
        summary=gettext_noop("consent withdrawal form"),
    )
    return render(
        request,
        "referrals/withdraw.html",
        {
            "form": form,
            "consent": consent,
            "open_referrals": open_referrals,
            "title": _("Withdraw a consent"),
        },
    )


@people_required
def referral_create(request: HttpRequest, public_id: str) -> HttpResponse:
    household = access.get_household_for_user(request.user, public_id)
    own = selectors.acting_organisation_id(request.user)
    form = ReferralForm(
        request.POST or None,
        household=household,
        own_organisation_id=own,
        initial={"person": params.get_uuid(request.GET, "person")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The service's own keyword ``service`` would clash with call_service's parameter.
        referral = call_service(
            form,
            lambda: services.referral_send(
                actor=request.user,
                person=data["person"],
                service=data["service"],
                contact=data["contact"],
                health_note=data["health_note"],
                reason=data["reason"],
            ),
        )
        if referral is not None:
            messages.success(
                request,
                _("The referral was sent to %(partner)s.")
                % {"partner": referral.to_organisation.short_name},
            )
            return redirect("referral_detail", referral.public_id)
    consents = (
        selectors.visible_consents(request.user)
        .filter(household=household, withdrawn_on__isnull=True)
        .select_related("person")
        .prefetch_related("partners")
    )
    audit_view(actor=request.user, obj=household, summary=gettext_noop("referral form"))
    audit_households_shown(
        actor=request.user, households=[household], summary=gettext_noop("referral form")
    )
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "household": household,
            "consents": consents,
            "title": _("Refer a resident"),
        },
    )


@people_required
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = selectors.get_referral_for_user(request.user, public_id)
    own = selectors.acting_organisation_id(request.user)
    is_receiver = own == referral.to_organisation_id
    sees_content = selectors.sees_content(request.user, referral)
    if sees_content:
        audit_view(
            actor=request.user,
            obj=referral.person,
            summary=gettext_noop("referral %(referral)s: shared information"),
            params={"referral": referral.public_id},
        )
    else:
        audit_view(
            actor=request.user, obj=referral, summary=gettext_noop("referral page without content")
        )
    household_visible = (
        access.visible_households(request.user).filter(pk=referral.household_id).exists()
    )
    if household_visible:
        audit_households_shown(
            actor=request.user,
            households=[referral.household_id],
            summary=gettext_noop("referral page"),
        )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "shared": referral.shared if sees_content else None,
            "is_receiver": is_receiver,
            "is_sender": own == referral.from_organisation_id,
            "household_visible": household_visible,
            "scope_names": dict(ConsentScope.choices),
            "decline_form": DeclineForm(),
            "done_form": DoneForm(),
            "title": _("Referral"),
        },
    )


def _answer(request: HttpRequest, public_id: str, act: Any) -> HttpResponse:
    referral = selectors.get_referral_for_user(request.user, public_id)
    act(referral)
    return redirect("referral_detail", referral.public_id)


@people_required
@require_POST
def referral_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(referral: Referral) -> None:
        if call_service_or_message(
            request, services.referral_accept, actor=request.user, referral=referral
        ):
            messages.success(request, _("The referral was accepted; the sender sees it."))

    return _answer(request, public_id, act)


@people_required
@require_POST
def referral_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(referral: Referral) -> None:
        form = DeclineForm(request.POST)
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return
        if call_service_or_message(
            request,
            services.referral_decline,
            actor=request.user,
            referral=referral,
            reason=form.cleaned_data["reason"],
        ):
            messages.success(request, _("The referral was declined; the sender sees why."))

    return _answer(request, public_id, act)


@people_required
@require_POST
def referral_done(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(referral: Referral) -> None:
        form = DoneForm(request.POST)
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return
        if call_service_or_message(
            request,
            services.referral_done,
            actor=request.user,
            referral=referral,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            confirm=form.cleaned_data["confirm"],
        ):
            messages.success(request, _("The delivery was recorded and the referral is done."))

    return _answer(request, public_id, act)


@people_required
@require_POST
def referral_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    def act(referral: Referral) -> None:
        if call_service_or_message(
            request, services.referral_cancel, actor=request.user, referral=referral
        ):
            messages.success(request, _("The referral was cancelled."))

    return _answer(request, public_id, act)
