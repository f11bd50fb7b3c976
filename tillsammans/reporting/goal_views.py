"""An agreement's goals and indicators: the year's outcome beside baseline and target, and the
coordinator's forms for goals, indicators and the outcomes entered by hand."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tillsammans.core import access
from tillsammans.core.decorators import coordinator_required, member_required
from tillsammans.core.lib import params
from tillsammans.core.viewlib import call_service, call_service_or_message, form_errors_as_messages
from tillsammans.partnership import governance_services as services
from tillsammans.partnership.forms import GoalForm, IndicatorForm, IndicatorValueForm
from tillsammans.partnership.models import Agreement, Goal, Indicator

from .goals import agreement_years, goals_for_year


def _agreement(request: HttpRequest, agreement_id: str, *, manage: bool = False) -> Agreement:
    if manage:
        return access.get_managed_agreement_for_user(request.user, agreement_id)
    return access.get_agreement_for_user(request.user, agreement_id)


@member_required
def goal_list(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    years = agreement_years(agreement, timezone.localdate())
    year = params.get_int(request.GET, "year", years[-1], minimum=years[0], maximum=years[-1])
    can_manage = access.can_manage_agreement(request.user, agreement)
    rows = [
        (
            goal_year.goal,
            [
                (
                    outcome,
                    IndicatorValueForm(
                        initial={"year": year, "value": outcome.value, "note": outcome.source},
                        auto_id=f"indicator{outcome.indicator.pk}_%s",
                    )
                    if can_manage and not outcome.indicator.computed
                    else None,
                )
                for outcome in goal_year.outcomes
            ],
        )
        for goal_year in goals_for_year(agreement, year)
    ]
    return render(
        request,
        "reporting/goal_list.html",
        {
            "agreement": agreement,
            "year": year,
            "years": years,
            "goals": rows,
            "can_manage": can_manage,
            "title": _("Goals of %(agreement)s") % {"agreement": agreement.name},
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, agreement_id: str, goal_id: int | None = None) -> HttpResponse:
    agreement = _agreement(request, agreement_id, manage=True)
    goal = get_object_or_404(agreement.goals, pk=goal_id) if goal_id else None
    initial = None
    if goal is not None:
        initial = {
            key: getattr(goal, key)
            for key in ("title", "description", "title_en", "description_en")
        }
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.goal_save,
            actor=request.user,
            agreement=agreement,
            goal=goal,
            **form.cleaned_data,
        ):
            messages.success(request, _("The goal is saved."))
            return redirect("goal_list", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Change the goal") if goal else _("New goal"),
            "back": agreement,
        },
    )


def _indicator(agreement: Agreement, indicator_id: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("goal__agreement"),
        goal__agreement=agreement,
        pk=indicator_id,
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def indicator_edit(
    request: HttpRequest,
    agreement_id: str,
    goal_id: int | None = None,
    indicator_id: int | None = None,
) -> HttpResponse:
    agreement = _agreement(request, agreement_id, manage=True)
    indicator = _indicator(agreement, indicator_id) if indicator_id else None
    goal: Goal = indicator.goal if indicator else get_object_or_404(agreement.goals, pk=goal_id)
    initial = None
    if indicator is not None:
        initial = {
            key: getattr(indicator, key)
            for key in ("name", "name_en", "measure", "unit", "baseline", "baseline_year", "target")
        }
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.indicator_save,
            actor=request.user,
            goal=goal,
            indicator=indicator,
            **form.cleaned_data,
        ):
            messages.success(request, _("The indicator is saved."))
            return redirect("goal_list", agreement.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "intro": goal.title,
            "title": _("Change the indicator") if indicator else _("New indicator"),
            "back": agreement,
        },
    )


@coordinator_required
@require_POST
def indicator_value(request: HttpRequest, agreement_id: str, indicator_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id, manage=True)
    indicator = _indicator(agreement, indicator_id)
    form = IndicatorValueForm(request.POST)
    year = None
    if not form.is_valid():
        form_errors_as_messages(request, form)
    elif call_service_or_message(
        request,
        services.indicator_value_set,
        actor=request.user,
        indicator=indicator,
        **form.cleaned_data,
    ):
        year = form.cleaned_data["year"]
        messages.success(request, _("The outcome is saved."))
    url = redirect("goal_list", agreement.public_id)
    if year:
        url["Location"] += f"?year={year}"
    return url
