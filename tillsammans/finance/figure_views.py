"""The municipality's distribution figure (issue 14): the coordinator records each figure the
Migration Agency sets; the state's ledger pays its amount per place once for each place."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillsammans.core import access
from tillsammans.core.decorators import coordinator_required
from tillsammans.core.lib.dates import long_date
from tillsammans.core.viewlib import call_service, call_service_or_message

from . import services
from .forms import FigureForm
from .models import DistributionFigure


@coordinator_required
def figure_create(request: HttpRequest) -> HttpResponse:
    form = FigureForm(request.POST or None, agreements=access.visible_agreements(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        figure = call_service(
            form, services.figure_record, actor=request.user, agreement=data["agreement"],
            decided_on=data["decided_on"], places=data["places"],
            reference=data["reference"],
            year=data["decided_on"].year + (1 if data["for_next_year"] else 0),
        )  # fmt: skip
        if figure is not None:
            messages.success(request, _("The distribution figure was recorded."))
            return redirect("rate_list")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Record the distribution figure"),
            "intro": _(
                "The places the Migration Agency set for the municipality to arrange in a year. "
                "The state pays its amount per place once for each place of a year's figure: "
                "when it is set, and for the places a higher figure for the same year adds; "
                "a lower figure pays nothing back."
            ),
        },
    )


@coordinator_required
def figure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a GET shows what will be removed); the POST removes the figure."""
    figure = (
        DistributionFigure.objects.filter(
            pk=pk, agreement__in=access.visible_agreements(request.user)
        )
        .select_related("agreement")
        .first()
    )
    if figure is None:
        raise Http404
    if request.method != "POST":
        return render(
            request,
            "confirm_page.html",
            {
                "title": _("Remove this distribution figure?"),
                "explanation": ngettext(
                    "%(places)s place set on %(day)s, in %(agreement)s. The state's amount per "
                    "place of that month will be computed without it.",
                    "%(places)s places set on %(day)s, in %(agreement)s. The state's amount per "
                    "place of that month will be computed without it.",
                    figure.places,
                )
                % {
                    "places": number_format(figure.places, 0, force_grouping=True),
                    "day": long_date(figure.decided_on),
                    "agreement": figure.agreement.name,
                },
                "button": _("Remove the figure"),
                "back_url": reverse("rate_list"),
            },
        )
    removed = call_service_or_message(
        request, services.figure_remove, actor=request.user, figure=figure
    )
    if removed is not None:
        messages.success(request, _("The distribution figure was removed."))
    return redirect("rate_list")
