"""The agreements' pages: the list a user's organisation is party to, one agreement with its
parties, targets, documents, groups and goals, and the coordinator's forms to change them."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tillsammans.core import access
from tillsammans.core.decorators import coordinator_required, member_required
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages

from . import agreement_services as services
from .forms import AgreementForm, DocumentForm, PartyAddForm, PartyForm, TargetForm
from .models import Agreement, AgreementDocument, Organisation, Party


def _agreement(request: HttpRequest, agreement_id: str) -> Agreement:
    return access.get_agreement_for_user(request.user, agreement_id)


def _managed(request: HttpRequest, agreement_id: str) -> Agreement:
    return access.get_managed_agreement_for_user(request.user, agreement_id)


@member_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = list(
        access.visible_agreements(request.user).prefetch_related(
            Prefetch("party_set", queryset=Party.objects.select_related("organisation")),
            "targets",
        )
    )
    rows = [
        (
            agreement,
            [party for party in agreement.party_set.all() if party.active_on(today)],
            max(
                (t for t in agreement.targets.all() if t.valid_from <= today),
                key=lambda t: t.valid_from,
                default=None,
            ),
        )
        for agreement in agreements
    ]
    return render(
        request,
        "partnership/agreement_list.html",
        {"rows": rows, "today": today, "title": _("Agreements")},
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agreement = call_service(
            form, services.agreement_create, actor=request.user, **form.cleaned_data
        )
        if agreement is not None:
            messages.success(
                request,
                _("The agreement is created. Add its parties, documents and goals below."),
            )
            return redirect("agreement_page", agreement.public_id)
    return render(request, "form_page.html", {"form": form, "title": _("New agreement")})


@member_required
def agreement_detail(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    today = timezone.localdate()
    parties = list(agreement.party_set.select_related("organisation"))
    can_manage = access.can_manage_agreement(request.user, agreement)
    own = access.writable_parties(request.user, agreement)
    writable = {party.pk for party in parties if party.organisation_id in own}
    return render(
        request,
        "partnership/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": [(party, party.pk in writable) for party in parties],
            "today": today,
            "targets": agreement.targets.order_by("valid_from"),
            # An agreement that has ended shows the places it ended with.
            "ended": agreement.ends_on is not None and agreement.ends_on < today,
            "target_now": agreement.target_places_on(
                min(today, agreement.ends_on) if agreement.ends_on else today
            ),
            "documents": agreement.documents.select_related("organisation", "file").defer(
                "file__content"
            ),
            "groups": agreement.groups.prefetch_related("members__organisation"),
            "goals": agreement.goals.prefetch_related("indicators"),
            "can_manage": can_manage,
            "can_upload": can_manage or bool(writable),
            "target_form": TargetForm() if can_manage else None,
            "title": agreement.name,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    initial = {
        key: getattr(agreement, key) for key in ("name", "starts_on", "ends_on", *services.TEXTS)
    }
    form = AgreementForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.agreement_update,
            actor=request.user,
            agreement=agreement,
            **form.cleaned_data,
        ):
            messages.success(request, _("The agreement is saved."))
            return redirect("agreement_page", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Change %(agreement)s") % {"agreement": agreement.name},
            "back": agreement,
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def party_add(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    candidates = Organisation.objects.exclude(parties__agreement=agreement).order_by("name")
    form = PartyAddForm(
        request.POST or None, organisations=candidates, initial={"joined_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        party = call_service(
            form, services.party_add, actor=request.user, agreement=agreement, **form.cleaned_data
        )
        if party is not None:
            messages.success(
                request,
                _("%(organisation)s is party to the agreement from %(day)s.")
                % {
                    "organisation": party.organisation.name,
                    "day": party.joined_on.isoformat(),
                },
            )
            return redirect("agreement_page", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("A party joins %(agreement)s") % {"agreement": agreement.name},
            "back": agreement,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def party_edit(request: HttpRequest, agreement_id: str, slug: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    party = get_object_or_404(
        agreement.party_set.select_related("organisation", "agreement"), organisation__slug=slug
    )
    if not access.can_write_for_party(request.user, party):
        raise Http404
    dates = access.can_manage_agreement(request.user, agreement)
    form = PartyForm(
        request.POST or None,
        dates=dates,
        initial={
            "joined_on": party.joined_on,
            "left_on": party.left_on,
            "contribution": party.contribution,
        },
    )
    if request.method == "POST" and form.is_valid():
        if call_service(
            form, services.party_update, actor=request.user, party=party, **form.cleaned_data
        ):
            messages.success(
                request,
                _("%(organisation)s's part is saved.") % {"organisation": party.organisation.name},
            )
            return redirect("agreement_page", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("%(organisation)s in %(agreement)s")
            % {"organisation": party.organisation.name, "agreement": agreement.name},
            "back": agreement,
        },
    )


@coordinator_required
@require_POST
def target_add(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    form = TargetForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request, services.target_set, actor=request.user, agreement=agreement, **form.cleaned_data
    ):
        messages.success(request, _("The target of places is saved."))
    return redirect("agreement_page", agreement.public_id)


@coordinator_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, agreement_id: str, target_id: int) -> HttpResponse:
    agreement = _managed(request, agreement_id)
    target = get_object_or_404(agreement.targets, pk=target_id)
    if request.method == "POST":
        services.target_delete(actor=request.user, target=target)
        messages.success(request, _("The target is removed."))
        return redirect("agreement_page", agreement.public_id)
    return render(
        request,
        "confirm_page.html",
        {
            "title": _("Remove the target of %(places)s places from %(day)s?")
            % {"places": target.places, "day": target.valid_from.isoformat()},
            "explanation": _(
                "The agreement's earlier target applies from that day instead. You can add the "
                "target again if this was a mistake."
            ),
            "button": _("Remove the target"),
            "back": agreement,
        },
    )


def _upload_parties(request: HttpRequest, agreement: Agreement) -> list[Organisation]:
    """The parties whose annex the user may add: every one for the coordinator, their own
    for a partner's admin."""
    own = access.writable_parties(request.user, agreement)
    return [
        party.organisation
        for party in agreement.party_set.select_related("organisation")
        if party.organisation_id in own
    ]


@member_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    writable = _upload_parties(request, agreement)
    if not writable:
        raise Http404
    parties = Organisation.objects.filter(pk__in=[o.pk for o in writable]).order_by("name")
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        parties=parties,
        whole_agreement=access.can_manage_agreement(request.user, agreement),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            services.document_add,
            actor=request.user,
            agreement=agreement,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            organisation=data["organisation"],
        ):
            messages.success(request, _("The document is saved."))
            return redirect("agreement_page", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Add a document to %(agreement)s") % {"agreement": agreement.name},
            "back": agreement,
        },
    )


def _document(request: HttpRequest, agreement_id: str, document_id: str) -> AgreementDocument:
    agreement = _agreement(request, agreement_id)
    return get_object_or_404(
        agreement.documents.select_related("file", "agreement", "organisation"),
        public_id=document_id,
    )


@member_required
def document_file(request: HttpRequest, agreement_id: str, document_id: str) -> HttpResponse:
    document = _document(request, agreement_id, document_id)
    stored = document.file
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(stored.name)
    return response


@member_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, agreement_id: str, document_id: str) -> HttpResponse:
    document = _document(request, agreement_id, document_id)
    agreement = document.agreement
    party = agreement.party_set.filter(organisation=document.organisation).first()
    if not (
        access.can_manage_agreement(request.user, agreement)
        or (party is not None and access.can_write_for_party(request.user, party))
    ):
        raise Http404
    if request.method == "POST":
        services.document_delete(actor=request.user, document=document)
        messages.success(request, _("The document is removed."))
        return redirect("agreement_page", agreement.public_id)
    return render(
        request,
        "confirm_page.html",
        {
            "title": _("Remove the document “%(title)s”?") % {"title": document.title},
            "explanation": _(
                "The file is deleted. Keep a copy if you may need it; you can upload it again."
            ),
            "button": _("Remove the document"),
            "back": agreement,
        },
    )
