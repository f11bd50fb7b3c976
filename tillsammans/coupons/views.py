import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django.views.decorators.http import require_POST

from tillsammans.core import access
from tillsammans.core.audit import audit_record, audit_view
from tillsammans.core.decorators import member_required, people_required
from tillsammans.core.errors import ServiceError
from tillsammans.core.forms import MonthForm
from tillsammans.core.lib import params
from tillsammans.core.lib.bidi import isolate_text
from tillsammans.core.lib.downloads import xlsx_download
from tillsammans.core.models import AuditAction
from tillsammans.core.viewlib import call_service, call_service_or_message
from tillsammans.people.audit import audit_households_shown

from . import codes, selectors, services
from .forms import (
    CouponCancelForm,
    CouponFilterForm,
    CouponIssueForm,
    RedeemForm,
    ShopForm,
)
from .models import CouponStatus

PER_PAGE = 25


@people_required
def coupon_list(request: HttpRequest) -> HttpResponse:
    form = CouponFilterForm(request.GET or None)
    coupons = selectors.visible_coupons(request.user).select_related("household", "shop", "issuer")
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            coupons = coupons.filter(
                Q(household__reference__iexact=query) | Q(code=codes.normalise(query))
            )
        state = form.cleaned_data["state"]
        today = timezone.localdate()
        if state == "expired":
            coupons = coupons.filter(status=CouponStatus.ISSUED, valid_until__lt=today)
        elif state == CouponStatus.ISSUED:
            coupons = coupons.filter(status=CouponStatus.ISSUED, valid_until__gte=today)
        elif state:
            coupons = coupons.filter(status=state)
    page = Paginator(coupons, PER_PAGE).get_page(params.get_page(request.GET))
    audit_households_shown(
        actor=request.user,
        households=[coupon.household_id for coupon in page],
        summary=gettext_noop("food coupon list"),
    )
    return render(
        request,
        "coupons/coupon_list.html",
        {"form": form, "page": page, "title": _("Food coupons")},
    )


@people_required
def coupon_issue(request: HttpRequest) -> HttpResponse:
    initial = {}
    wanted = params.get_uuid(request.GET, "household")
    if wanted:
        try:
            initial["household"] = access.get_household_for_user(request.user, wanted).reference
        except Http404:
            # A stale link only leaves the field empty.
            initial = {}
    form = CouponIssueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        coupon = call_service(
            form,
            services.coupon_issue,
            actor=request.user,
            household=form.cleaned_data["household"],
            shop=form.cleaned_data["shop"],
            value_sek=form.cleaned_data["value_sek"],
            valid_until=form.cleaned_data["valid_until"],
        )
        if coupon is not None:
            messages.success(
                request,
                _("Coupon %(code)s was issued. Print it and hand it to the household.")
                % {"code": coupon.display_code},
            )
            return redirect("coupon_detail", coupon.public_id)
    return render(
        request, "coupons/coupon_issue.html", {"form": form, "title": _("Issue a food coupon")}
    )


@people_required
def coupon_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    coupon = selectors.get_coupon_for_user(request.user, public_id)
    audit_view(
        actor=request.user,
        obj=coupon,
        summary=gettext_noop("food coupon of %(household)s"),
        params={"household": coupon.household},
    )
    audit_households_shown(
        actor=request.user,
        households=[coupon.household_id],
        summary=gettext_noop("food coupon page"),
    )
    return render(
        request,
        "coupons/coupon_detail.html",
        {
            "coupon": coupon,
            "cancel_form": CouponCancelForm(),
            "title": _("Food coupon %(code)s") % {"code": coupon.display_code},
        },
    )


def _qr_svg(request: HttpRequest, code: str) -> str:
    url = request.build_absolute_uri(reverse("coupon_redeem")) + f"?code={code}"
    return segno.make(url, error="m").svg_inline(scale=4, title=codes.display(code))


@people_required
def coupon_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """The coupon as the household gets it on paper: no name, only what the shop needs."""
    coupon = selectors.get_coupon_for_user(request.user, public_id)
    audit_view(actor=request.user, obj=coupon, summary=gettext_noop("food coupon printed"))
    return render(
        request,
        "coupons/coupon_print.html",
        {"coupon": coupon, "qr": _qr_svg(request, coupon.code), "title": coupon.display_code},
    )


@people_required
@require_POST
def coupon_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    coupon = selectors.get_coupon_for_user(request.user, public_id)
    form = CouponCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    done = call_service_or_message(
        request, services.coupon_cancel, actor=request.user, coupon=coupon, reason=reason
    )
    if done is not None:
        messages.success(request, _("The coupon was cancelled; it can no longer be used."))
    return redirect("coupon_detail", coupon.public_id)


@people_required
def coupon_redeem(request: HttpRequest) -> HttpResponse:
    """The shop's counter: look a code up, then redeem it for the purchase amount."""
    organisation = services.redeemer_organisation(request.user)
    found = None
    refusal: ServiceError | None = None
    if request.method == "POST":
        form = RedeemForm(request.POST)
        if organisation is not None and form.is_valid():
            coupon = call_service(
                form,
                services.coupon_redeem,
                actor=request.user,
                code=form.cleaned_data["code"],
                amount=form.cleaned_data["amount"],
            )
            if coupon is not None:
                assert coupon.redeemed_amount is not None  # set by the redemption
                messages.success(
                    request,
                    _("Coupon %(code)s was redeemed for %(amount)s SEK of its %(value)s SEK.")
                    % {
                        "code": coupon.display_code,
                        "amount": formats.number_format(coupon.redeemed_amount, 2),
                        "value": coupon.value_sek,
                    },
                )
                return redirect("coupon_redeem")
    else:
        typed = params.get_text(request.GET, "code")
        form = RedeemForm(
            initial={"code": codes.display(codes.normalise(typed))} if typed else None
        )
        if typed and organisation is not None:
            try:
                found = services.find_for_redeemer(request.user, typed)
            except ServiceError as exc:
                refusal = exc
            else:
                refusal = services.refusal(found, timezone.localdate())
                audit_view(
                    actor=request.user,
                    obj=found,
                    summary=gettext_noop("food coupon checked at a shop"),
                )
    return render(
        request,
        "coupons/coupon_redeem.html",
        {
            "form": form,
            "organisation": organisation,
            "found": found,
            "refusal": refusal,
            "redemptions": selectors.redemptions_at(organisation) if organisation else [],
            "title": _("Redeem a food coupon"),
        },
    )


@member_required
def coupon_ledger(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET)
    first = form.chosen() or timezone.localdate().replace(day=1)
    year, month = first.year, first.month
    lines = selectors.ledger(year, month, selectors.ledger_organisations(request.user))
    totals = {
        name: sum(getattr(line, name) for line in lines)
        for name in (
            "issued", "issued_sek", "redeemed", "redeemed_value_sek", "redeemed_amount_sek",
            "expired", "expired_sek", "cancelled", "cancelled_sek",
        )
    }  # fmt: skip
    return render(
        request,
        "coupons/ledger.html",
        {
            "form": form,
            "lines": lines,
            "totals": totals,
            "month_value": f"{year:04d}-{month:02d}",
            "first_day": selectors.month_bounds(year, month)[0],
            "title": _("Coupon ledger"),
        },
    )


@member_required
def shop_list(request: HttpRequest) -> HttpResponse:
    form = ShopForm(request.POST or None, user=request.user)
    can_add = form.organisations.exists()
    if request.method == "POST" and form.is_valid():
        shop = call_service(form, services.shop_create, actor=request.user, **form.cleaned_data)
        if shop is not None:
            messages.success(
                request, _("The shop %(name)s was added.") % {"name": isolate_text(shop.name)}
            )
            return redirect("shop_list")
    return render(
        request,
        "coupons/shop_list.html",
        {
            "shops": selectors.visible_shops(request.user),
            "form": form,
            "can_add": can_add,
            "title": _("Social supermarkets"),
        },
    )


@member_required
def coupon_ledger_export(request: HttpRequest) -> HttpResponse:
    """The month's ledger as an XLSX workbook: figures per organisation, no person."""
    form = MonthForm(request.GET)
    first = form.chosen()
    if first is None:
        messages.error(request, form.problem())
        return redirect("coupon_ledger")
    year, month = first.year, first.month
    lines = selectors.ledger(year, month, selectors.ledger_organisations(request.user))
    header = [
        _("Issued by"),
        pgettext("coupon ledger", "Issued"),
        _("Issued (SEK)"),
        pgettext("coupon ledger", "Redeemed"),
        _("Redeemed, value (SEK)"),
        _("Purchases (SEK)"),
        pgettext("coupon ledger", "Expired"),
        _("Expired (SEK)"),
        pgettext("coupon ledger", "Cancelled"),
        _("Cancelled (SEK)"),
    ]
    rows = [
        [
            line.organisation.name,
            line.issued,
            line.issued_sek,
            line.redeemed,
            line.redeemed_value_sek,
            float(line.redeemed_amount_sek),
            line.expired,
            line.expired_sek,
            line.cancelled,
            line.cancelled_sek,
        ]
        for line in lines
    ]
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="coupons.ledger",
        object_id=f"{year:04d}-{month:02d}",
        summary=gettext_noop("coupon ledger %(month)s, organisations: %(organisations)s"),
        params={"month": f"{year:04d}-{month:02d}", "organisations": len(lines)},
    )
    return xlsx_download(
        f"kuponger-{year:04d}-{month:02d}.xlsx", f"{year:04d}-{month:02d}", header, rows
    )
