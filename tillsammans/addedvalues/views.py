import datetime as dt
import uuid
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.decorators import member_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.forms import MonthForm
from tillsammans.core.lib import params
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages
from tillsammans.coupons import selectors as coupon_selectors
from tillsammans.partnership.models import Organisation
from tillsammans.referrals import selectors as referral_selectors
from tillsammans.training import selectors as training_selectors

from . import selectors, services
from .error_codes import AddedValuesErrorCode as Code
from .forms import (
    DeliveryForm,
    HeadCountForm,
    HouseholdDeliveryForm,
    LineChoiceForm,
    ServiceForm,
)
from .models import Service, ServiceCategory

PUBLIC_LANGUAGES = ("uk", "sv", "en", "ar")
PUBLIC_SECONDS = 300
RECENT_DAYS = 14


# --- the public page -----------------------------------------------------------------------


def public_services(request: HttpRequest) -> HttpResponse:
    """The catalogue for residents: no login, Ukrainian unless Swedish, English or Arabic
    (right to left) is asked for.

    Rendered without the request, so that nothing of a visitor's session (user, CSRF token,
    messages) can end up in the page; the HTML is cached per language until the catalogue
    changes.
    """
    language = params.get_choice(request.GET, "lang", PUBLIC_LANGUAGES, "uk")
    version = Service.objects.aggregate(changed=Max("updated_at"), n=Count("id"))
    changed = version["changed"].timestamp() if version["changed"] else 0
    key = f"addedvalues:public:{language}:{changed}:{version['n']}"
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            groups = selectors.grouped_by_category(selectors.public_services())
            html = render_to_string(
                "addedvalues/public.html",
                {
                    "groups": groups,
                    "language": language,
                    "languages": PUBLIC_LANGUAGES,
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                },
            )
        cache.set(key, html, PUBLIC_SECONDS)
    response = HttpResponse(html)
    response["Content-Language"] = language
    response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
    return response


# --- the catalogue -------------------------------------------------------------------------


@member_required
def service_list(request: HttpRequest) -> HttpResponse:
    membership = selectors.recording_membership(request.user)
    groups = selectors.grouped_by_category(
        selectors.visible_services(request.user).order_by("category", "organisation__name")
    )
    return render(
        request,
        "addedvalues/service_list.html",
        {
            "groups": groups,
            "own_organisation_id": membership.organisation_id if membership else None,
            "can_publish": selectors.catalogue_membership(request.user) is not None,
            "title": _("Services"),
        },
    )


@member_required
def service_create(request: HttpRequest) -> HttpResponse:
    membership = selectors.catalogue_membership(request.user)
    if membership is None:
        raise Http404
    form = ServiceForm(
        request.POST or None,
        organisation_id=membership.organisation_id,
        agreements=access.offering_agreements(membership.organisation),
    )
    if request.method == "POST" and form.is_valid():
        service = call_service(
            form, services.service_create, actor=request.user, **form.service_fields()
        )
        if service is not None:
            messages.success(request, _("The service is published in the catalogue."))
            return redirect("service_detail", service.public_id)
    return render(
        request,
        "addedvalues/service_form.html",
        {"form": form, "title": _("New service")},
    )


@member_required
def service_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    service = selectors.get_service_for_user(request.user, public_id)
    can_record = selectors.can_record(request.user, service)
    recent: list[Mapping[str, Any]] = []
    if can_record:
        # Counts per day, not names: the names are on each resident's page.
        since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
        recent = list(
            selectors.visible_deliveries(request.user)
            .filter(service=service, delivered_on__gte=since)
            .order_by("-delivered_on")
            .values("delivered_on")
            .annotate(deliveries=Count("id"), quantity=Sum("quantity"))
        )
    return render(
        request,
        "addedvalues/service_detail.html",
        {
            "service": service,
            "can_record": can_record,
            "can_edit": selectors.can_manage_service(request.user, service),
            "recent": recent,
            "headcount_form": HeadCountForm() if can_record and service.is_meeting_place else None,
            "title": service.name(),
        },
    )


@member_required
def service_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    service = selectors.get_service_for_user(request.user, public_id)
    if not selectors.can_manage_service(request.user, service):
        raise Http404
    form = ServiceForm(
        request.POST or None,
        instance=service,
        organisation_id=service.organisation_id,
        agreements=access.offering_agreements(service.organisation, keep=service.agreement_id),
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        # The form wrote its values onto the instance; the service reloads and locks it.
        service.refresh_from_db()
        # call_service's own parameter is named "service", hence the closure.
        updated = call_service(
            form,
            lambda: services.service_update(actor=request.user, service=service, **fields),
        )
        if updated is not None:
            messages.success(request, _("The service is saved."))
            return redirect("service_detail", updated.public_id)
    return render(
        request,
        "addedvalues/service_form.html",
        {"form": form, "service": service, "title": _("Change the service")},
    )


# --- deliveries ----------------------------------------------------------------------------


@member_required
def delivery_bulk(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a service for the people on a pasted list, after a preview.

    Every line of the list ends as matched, several to choose from, or not found, shown in a
    preview before anything is recorded; the deliveries are recorded, all or none, when the
    user confirms that preview. Names are posted, never put in a URL, so they end up in no
    server log.
    """
    service = selectors.get_own_service_for_user(request.user, public_id)
    if request.method != "POST":
        form = DeliveryForm(service=service)
        return _bulk_page(request, service, form, None, None)
    recording = request.POST.get("action") == "record"
    form = DeliveryForm(request.POST, service=service, recording=recording)
    if not form.is_valid() and "q" in form.errors:
        return _bulk_page(request, service, form, None, None)
    names = form.cleaned_data["q"]
    preview = form.cleaned_data.get("preview")
    needs_confirm = False
    if recording and preview is not None and form.previewed(preview, names):
        # Exactly what the preview showed is confirmed, without looking the names up again.
        pasted = selectors.previewed_lines(request.user, preview.lines)
        batch = preview.batch
        choices = LineChoiceForm(request.POST, pasted=pasted)
        if form.is_valid() and choices.is_valid():
            recorded = _record_chosen(request, service, form, choices, batch)
            if isinstance(recorded, HttpResponse):
                return recorded
            needs_confirm = recorded
    else:
        if recording:
            form.add_error(
                None,
                _(
                    "Nothing was recorded: the list is not the one in the preview, or the "
                    "preview is too old. Check the preview below and record again."
                ),
            )
        pasted = selectors.pasted_lines(request.user, names)
        batch = uuid.uuid4()
        choices = LineChoiceForm(pasted=pasted)
    return _bulk_page(
        request,
        service,
        form,
        choices,
        pasted,
        token=form.preview_token(names, pasted, batch),
        needs_confirm=needs_confirm,
    )


def _record_chosen(
    request: HttpRequest,
    service: Service,
    form: DeliveryForm,
    choices: LineChoiceForm,
    batch: uuid.UUID,
) -> HttpResponse | bool:
    """Record the chosen persons: the redirect when done, else whether the limit asks for a
    confirmation (the form then holds the reason)."""
    persons = selectors.residents_by_public_id(request.user, choices.chosen_ids)
    if len(persons) != len(choices.chosen_ids):
        # The preview was checked a moment ago; a person can still have moved out since.
        form.add_error(
            None,
            _(
                "Nothing was recorded: a person chosen no longer lives at a site of the "
                "partnership."
            ),
        )
        return False
    try:
        deliveries = services.delivery_record_many(
            actor=request.user,
            service=service,
            persons=persons,
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            confirm=form.cleaned_data["confirm"],
            batch=batch,
        )
    except ServiceError as exc:
        if exc.code == Code.ALREADY_RECORDED:
            messages.warning(request, str(exc.message))
            return redirect("delivery_bulk", service.public_id)
        form.add_error(None, str(exc.message))
        return exc.code == Code.LIMIT_WARNING
    messages.success(
        request,
        ngettext(
            "%(count)d delivery recorded.",
            "%(count)d deliveries recorded.",
            len(deliveries),
        )
        % {"count": len(deliveries)},
    )
    return redirect("delivery_bulk", service.public_id)


def _bulk_page(
    request: HttpRequest,
    service: Service,
    form: DeliveryForm,
    choices: LineChoiceForm | None,
    pasted: selectors.PastedList | None,
    *,
    token: str = "",
    needs_confirm: bool = False,
) -> HttpResponse:
    if pasted is not None:
        audit_views(
            actor=request.user,
            objs=[row for line in pasted.lines for row in line.candidates],
            object_type="people.person",
            summary=gettext_noop("resident lookup for %(service)s"),
            params={"service": service.name_sv},
        )
    lines = choices.entries() if choices is not None else []
    outcomes = Counter(line.outcome for line, _name, _value, _errors in lines)
    return render(
        request,
        "addedvalues/delivery_bulk.html",
        {
            "service": service,
            "form": form,
            "choices": choices,
            "lines": lines,
            "pasted": pasted,
            "outcomes": {str(outcome): count for outcome, count in outcomes.items()},
            "repeated": sum(
                1 for line, _name, _value, _errors in lines if line.same_as is not None
            ),
            "token": token,
            "needs_confirm": needs_confirm,
            "title": _("Record deliveries"),
        },
    )


@member_required
@require_POST
def headcount_record(request: HttpRequest, public_id: str) -> HttpResponse:
    service = selectors.get_own_service_for_user(request.user, public_id)
    form = HeadCountForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("service_detail", service.public_id)
    delivery = call_service_or_message(
        request,
        lambda: services.headcount_record(
            actor=request.user,
            service=service,
            on=form.cleaned_data["on"],
            count=form.cleaned_data["count"],
            note=form.cleaned_data["note"],
        ),
    )
    if delivery is not None:
        messages.success(request, _("The visitors are counted."))
    return redirect("service_detail", service.public_id)


@member_required
def resident_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """A resident household as the user's organisation sees it for its services."""
    household = selectors.get_resident_household(request.user, public_id)
    page = selectors.resident_page(request.user, household)
    form = HouseholdDeliveryForm(
        request.POST or None,
        services=page.services,
        persons=page.persons,
    )
    needs_confirm = False
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_record(
                actor=request.user,
                service=form.cleaned_data["service"],
                household=household,
                person=form.cleaned_data["person"],
                on=form.cleaned_data["on"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                confirm=form.cleaned_data["confirm"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc.message))
            needs_confirm = exc.code == Code.LIMIT_WARNING
        else:
            messages.success(request, _("The delivery is recorded."))
            return redirect("resident_page", household.public_id)
    audit_views(
        actor=request.user,
        objs=[household, *page.persons],
        summary=gettext_noop("resident page (added values)"),
    )
    return render(
        request,
        "addedvalues/resident_page.html",
        {
            "page": page,
            "household": household,
            "form": form,
            "needs_confirm": needs_confirm,
            "title": _("Services for a household"),
        },
    )


@member_required
@require_POST
def delivery_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    delivery = selectors.get_delivery_for_user(request.user, public_id)
    household = delivery.household
    try:
        services.delivery_delete(actor=request.user, delivery=delivery)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The delivery is removed."))
    if household is not None:
        return redirect("resident_page", household.public_id)
    return redirect("service_detail", delivery.service.public_id)


# --- figures -------------------------------------------------------------------------------


def _other_figures(year: int, month: int) -> dict[int, dict[str, int]]:
    """The referral, coupon and training figures of the month, merged per organisation."""
    merged: dict[int, dict[str, int]] = {}
    for function in (
        referral_selectors.monthly_figures,
        coupon_selectors.monthly_figures,
        training_selectors.monthly_figures,
    ):
        for organisation_id, figures in function(year, month).items():
            merged.setdefault(organisation_id, {}).update(figures)
    return merged


def figure_labels() -> dict[str, str]:
    labels = {f"delivered_{value}": str(label) for value, label in ServiceCategory.choices}
    labels.update(
        {
            "deliveries": _("Services delivered"),
            "persons_reached": _("Persons reached by name"),
            "households_reached": _("Households reached"),
            "visitors_counted": _("Visitors counted without names"),
            "referrals_sent": _("Referrals sent"),
            "referrals_received": _("Referrals received"),
            "referrals_accepted": _("Referrals accepted"),
            "referrals_declined": _("Referrals declined"),
            "referrals_done": _("Referrals done"),
        }
    )
    labels.update({key: str(label) for key, label in coupon_selectors.FIGURE_LABELS.items()})
    labels.update({key: str(label) for key, label in training_selectors.FIGURE_LABELS.items()})
    return labels


@member_required
def figures(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET)
    first = form.chosen() or timezone.localdate().replace(day=1)
    year, month = first.year, first.month
    own = selectors.monthly_figures(year, month)
    other = _other_figures(year, month)
    organisations = list(Organisation.objects.order_by("name"))
    keys: list[str] = []
    for source in (own, other):
        for counts in source.values():
            keys.extend(key for key in counts if key not in keys)
    labels = figure_labels()
    order = list(labels)
    keys.sort(key=lambda key: order.index(key) if key in order else len(order))
    rows = []
    for key in keys:
        values = [
            (own.get(org.pk, {}) | other.get(org.pk, {})).get(key, 0) for org in organisations
        ]
        rows.append((labels.get(key, key), values, sum(values)))
    return render(
        request,
        "addedvalues/figures.html",
        {
            "form": form,
            "month": dt.date(year, month, 1),
            "organisations": organisations,
            "rows": rows,
            "title": _("Figures of the added values"),
        },
    )
