import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from tillsammans.core import access, background
from tillsammans.core.audit import audit_record, audit_view
from tillsammans.core.decorators import coordinator_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.lib import params
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.downloads import content_disposition
from tillsammans.core.models import AuditAction
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages
from tillsammans.people.audit import audit_households_shown
from tillsammans.people.models import Person
from tillsammans.people.selectors import names_of, persons_for_names
from tillsammans.reception.models import AllocationStatus

from . import services
from .background import KIND, in_background
from .forms import AcceptForm, FitWeightsForm, ItemActionForm, ProposeForm
from .models import FitWeights, ItemStatus, ProposalItem
from .selectors import alternatives, proposal_items, residents

PER_PAGE = 20


@coordinator_required
def placement_home(request: HttpRequest) -> HttpResponse:
    pending = access.visible_allocations(request.user).filter(status=AllocationStatus.PENDING)
    figures = {
        "households": pending.values("household").distinct().count(),
        "persons": Person.objects.filter(household__in=pending.values("household")).count(),
    }
    proposals = (
        access.visible_proposals(request.user)
        .select_related("site", "created_by")
        .annotate(
            accepted=Count("items", filter=Q(items__status=ItemStatus.ACCEPTED)),
            failed=Count("items", filter=Q(items__status=ItemStatus.FAILED)),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(proposals, PER_PAGE).get_page(params.get_page(request.GET))
    return render(
        request,
        "placement/home.html",
        {
            "form": ProposeForm(),
            "pending": figures,
            "weights": FitWeights.current(),
            "page": page,
            "title": _("Placement"),
        },
    )


def _start(request: HttpRequest, title: str, **params: str) -> HttpResponse:
    """Leave a large proposal to the worker; the user follows it on the job's page."""
    job = background.start(actor=request.user, kind=KIND, title=title, params=params)
    return redirect("job_detail", job.public_id)


@coordinator_required
@require_POST
def proposal_create(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("placement_home")
    on = form.cleaned_data["on"]
    pending = access.visible_allocations(request.user).filter(status=AllocationStatus.PENDING)
    if in_background(pending.values("household").distinct().count()):
        return _start(request, _("Placement proposal for %(on)s") % {"on": on}, on=on.isoformat())
    proposal = call_service_or_message(request, services.proposal_create, actor=request.user, on=on)
    if proposal is None:
        return redirect("placement_home")
    return redirect("proposal_detail", proposal.public_id)


@coordinator_required
@require_POST
def proposal_create_for_site(request: HttpRequest, public_id: str) -> HttpResponse:
    site = access.get_site_for_user(request.user, public_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("site_detail", site.public_id)
    on = form.cleaned_data["on"]
    if in_background(residents(site, on)):
        return _start(
            request,
            _("Placement proposal for %(on)s, closing %(site)s") % {"on": on, "site": site},
            on=on.isoformat(),
            site=str(site.public_id),
        )
    proposal = call_service_or_message(
        request,
        services.proposal_create_for_site,
        actor=request.user,
        site=site,
        on=form.cleaned_data["on"],
    )
    if proposal is None:
        return redirect("site_detail", site.public_id)
    return redirect("proposal_detail", proposal.public_id)


@coordinator_required
def proposal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, public_id)
    items = list(proposal_items(proposal).prefetch_related(persons_for_names()))
    counts = {status: 0 for status in ItemStatus.values}
    for item in items:
        counts[item.status] += 1
        item.names = names_of(item.household)  # type: ignore[attr-defined]
    audit_view(actor=request.user, obj=proposal, summary=gettext_noop("placement proposal page"))
    audit_households_shown(
        actor=request.user,
        households=[item.household_id for item in items],
        summary=gettext_noop("placement proposal page"),
    )
    return render(
        request,
        "placement/proposal_detail.html",
        {
            "proposal": proposal,
            "items": items,
            "counts": counts,
            "acceptable": sum(1 for item in items if item.can_accept),
            "persons_unplaced": proposal.persons_total - proposal.persons_placed,
            "newer": access.visible_proposals(request.user)
            .filter(previous=proposal)
            .order_by("-created_at")
            .first(),
            "title": _("Placement proposal"),
        },
    )


@coordinator_required
@require_POST
def proposal_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, public_id)
    form = AcceptForm(request.POST, proposal_items=proposal.items.only("public_id"))
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("proposal_detail", proposal.public_id)
    outcome = call_service_or_message(
        request,
        services.proposal_accept,
        actor=request.user,
        proposal=proposal,
        item_ids=form.item_ids(),
    )
    if outcome is None:
        return redirect("proposal_detail", proposal.public_id)
    if outcome.accepted:
        persons = sum(item.size for item in outcome.accepted)
        messages.success(
            request,
            ngettext(
                "%(households)s household accepted: %(persons)s persons have a place.",
                "%(households)s households accepted: %(persons)s persons have a place.",
                len(outcome.accepted),
            )
            % {"households": len(outcome.accepted), "persons": persons},
        )
    if outcome.failed:
        messages.warning(
            request,
            ngettext(
                "%(n)s household could not be accepted; the reason is shown below. Propose "
                "again to find it another place.",
                "%(n)s households could not be accepted; the reasons are shown below. Propose "
                "again to find them other places.",
                len(outcome.failed),
            )
            % {"n": len(outcome.failed)},
        )
    return redirect("proposal_detail", proposal.public_id)


@coordinator_required
@require_POST
def proposal_repropose(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = access.get_proposal_for_user(request.user, public_id)
    if in_background(proposal.households_total):
        return _start(
            request,
            _("New placement proposal for %(on)s") % {"on": proposal.on},
            proposal=str(proposal.public_id),
        )
    new = call_service_or_message(
        request, services.proposal_repropose, actor=request.user, proposal=proposal
    )
    if new is None:
        return redirect("proposal_detail", proposal.public_id)
    messages.success(request, _("A new proposal was made with your pins and forbidden units."))
    return redirect("proposal_detail", new.public_id)


@coordinator_required
def proposal_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """The problem and the result in the engine's file format, with short ids only: no
    name, no reference, nothing that identifies a household outside this system."""
    proposal = access.get_proposal_for_user(request.user, public_id)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=proposal,
        summary=gettext_noop("placement problem and result (short ids)"),
    )
    body = json.dumps(
        {"problem": proposal.problem, "result": proposal.result}, ensure_ascii=False, indent=1
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"placement-{proposal.on.isoformat()}-{str(proposal.public_id)[:8]}.json"
    response["Content-Disposition"] = content_disposition(name)
    return response


@coordinator_required
def proposal_item(request: HttpRequest, public_id: str) -> HttpResponse:
    item = access.get_proposal_item_for_user(request.user, public_id)
    if request.method == "POST":
        form = ItemActionForm(request.POST, user=request.user)
        if form.is_valid():
            _adjust(request, form, item)
        else:
            form_errors_as_messages(request, form)
        return redirect("proposal_item", item.public_id)
    audit_households_shown(
        actor=request.user,
        households=[item.household_id],
        summary=gettext_noop("placement proposal item"),
    )
    forbidden = list(item.next_forbids.select_related("site__organisation"))
    return render(
        request,
        "placement/item_detail.html",
        {
            "item": item,
            "proposal": item.proposal,
            "alternatives": alternatives(item),
            "forbidden": forbidden,
            "forbidden_ids": {unit.pk for unit in forbidden},
            "next_pin": item.next_pin,
            "title": item.household.reference,
        },
    )


def _adjust(request: HttpRequest, form: ItemActionForm, item: ProposalItem) -> None:
    action, unit = form.cleaned_data["action"], form.cleaned_data["unit"]
    try:
        if action == ItemActionForm.PIN:
            services.proposal_item_pin(actor=request.user, item=item, unit=unit)
            done = _("Pinned to %(unit)s for the next proposal.") % {
                "unit": isolate_text(str(unit))
            }
        elif action == ItemActionForm.UNPIN:
            services.proposal_item_pin(actor=request.user, item=item, unit=None)
            done = _("The pin was taken away.")
        elif action == ItemActionForm.FORBID:
            services.proposal_item_forbid(actor=request.user, item=item, unit=unit)
            done = _("%(unit)s is forbidden for this household in the next proposal.") % {
                "unit": isolate_text(str(unit))
            }
        else:
            services.proposal_item_forbid(actor=request.user, item=item, unit=unit, forbidden=False)
            done = _("%(unit)s is allowed again.") % {"unit": isolate_text(str(unit))}
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)


@coordinator_required
def fit_weights(request: HttpRequest) -> HttpResponse:
    current = FitWeights.current()
    # A second instance: validating the form writes the posted values into its instance, and
    # the page must keep showing the weights in force until the service has saved new ones.
    form = FitWeightsForm(request.POST or None, instance=FitWeights.current())
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.fit_weights_update, actor=request.user, **form.cleaned_data):
            messages.success(
                request, _("The weights were saved; they count from the next proposal.")
            )
            return redirect("placement_home")
    return render(
        request,
        "placement/weights.html",
        {"form": form, "current": current, "title": _("Weights of the fit")},
    )
