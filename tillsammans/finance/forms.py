import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import AmountField, DateField, MonthField, NumberField
from tillsammans.core.versions import VersionField
from tillsammans.housing.models import SiteKind
from tillsammans.partnership.models import Agreement, Organisation, OrganisationKind

from .models import CostType, RateKind, Scheme
from .services import MAX_AMOUNT, MAX_FIGURE_PLACES, MAX_HOURS


def _money(label: Any) -> AmountField:
    return AmountField(label=label, max_value=MAX_AMOUNT)


class RateForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=Agreement.objects.all())
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=RateKind.choices)
    amount = _money(_("Amount (SEK)"))
    valid_from = DateField(label=_("Valid from"))
    organisation = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.exclude(kind=OrganisationKind.MUNICIPALITY),
        required=False,
        to_field_name="slug",
        empty_label=_("Every partner"),
        help_text=_("Leave empty for every partner. The state's rates have no partner."),
    )
    site_kind = forms.ChoiceField(
        label=_("Kind of site"),
        choices=[("", _("Every kind of site")), *SiteKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, agreements: QuerySet[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreements = agreements.order_by("-starts_on", "-id")
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        latest = agreements.first()
        if latest is not None and not self.is_bound and "agreement" not in self.initial:
            self.fields["agreement"].initial = latest.pk


class StartForm(forms.Form):
    """The month of a new report, and its agreement for a partner in several (for a partner in
    one, the field is not shown: the service takes the one it took part in that month)."""

    month = MonthField(label=_("Month"))
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("The one we took part in that month"),
    )

    def __init__(self, *args: Any, agreements: QuerySet[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        self.fields["month"].initial = last_month.strftime("%Y-%m")
        agreements = agreements.order_by("-starts_on", "name")
        if agreements.count() > 1:
            self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        else:
            del self.fields["agreement"]


class ReportForm(forms.Form):
    version = VersionField()  # no lost updates (core.versions)
    cost_staff = _money(CostType.STAFF.label)
    cost_premises = _money(CostType.PREMISES.label)
    cost_food = _money(CostType.FOOD.label)
    cost_transport = _money(CostType.TRANSPORT.label)
    cost_material = _money(CostType.MATERIAL.label)
    cost_other = _money(CostType.OTHER.label)
    volunteer_hours = NumberField(
        label=_("Volunteer hours"),
        decimal_places=1,
        max_value=MAX_HOURS,
        help_text=_("Filled in from the volunteers' hours recorded for the month."),
    )
    donated_goods = _money(_("Donated goods (SEK)"))
    own_funds = _money(_("Own funds (SEK)"))
    comment = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "costs": {kind: data[f"cost_{kind}"] for kind in CostType.values},
            "volunteer_hours": data["volunteer_hours"],
            "donated_goods": data["donated_goods"],
            "own_funds": data["own_funds"],
            "comment": data["comment"],
        }


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    action = forms.ChoiceField(choices=[(APPROVE, APPROVE), (RETURN, RETURN)])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FigureForm(forms.Form):
    """The municipality's distribution figure as the Migration Agency set it."""

    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=Agreement.objects.none())
    decided_on = DateField(label=_("Set on"))
    for_next_year = forms.BooleanField(
        label=_("For the following year"), required=False,
        help_text=_("Tick it when the figure was set in advance for the year after the day it "
                    "was set on (such as 2023's figure, set in December 2022)."),
    )  # fmt: skip
    places = NumberField(
        label=_("Places in the figure"), decimal_places=0, min_value=0,
        max_value=MAX_FIGURE_PLACES,
    )  # fmt: skip
    reference = forms.CharField(
        label=_("Decision"), max_length=100, required=False,
        help_text=_("The Migration Agency's reference for the decision, if any."),
    )  # fmt: skip

    def __init__(self, *args: Any, agreements: QuerySet[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreements = agreements.order_by("-starts_on", "-id")
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        latest = agreements.first()
        if latest is not None and not self.is_bound:
            self.fields["agreement"].initial = latest.pk

    def clean_places(self) -> int:
        return int(self.cleaned_data["places"])  # a whole number: the field has no decimals
