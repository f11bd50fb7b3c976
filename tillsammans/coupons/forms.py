import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core import access
from tillsammans.core.forms import AmountField, AmountInput, DateField, form_field
from tillsammans.partnership.models import Organisation, Role

from .models import CouponStatus, Shop
from .services import MAX_VALUE_SEK

DEFAULT_VALUE_SEK = 300
DEFAULT_VALID_DAYS = 30


class CouponIssueForm(forms.Form):
    household = forms.CharField(
        label=_("Household reference"),
        max_length=40,
        help_text=_("The reference of a household living at one of your sites."),
    )
    shop = forms.ModelChoiceField(label=_("Valid at"), queryset=Shop.objects.none())
    value_sek = AmountField(
        label=_("Value (SEK)"),
        decimal_places=0,
        min_value=1,
        max_value=MAX_VALUE_SEK,
        initial=DEFAULT_VALUE_SEK,
    )
    valid_until = DateField(label=_("Valid until"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        shops = Shop.objects.filter(active=True).select_related("organisation")
        form_field(self, "shop", forms.ModelChoiceField).queryset = shops
        if len(shops) == 1:
            self.fields["shop"].initial = shops[0].pk
        self.fields["valid_until"].initial = timezone.localdate() + dt.timedelta(
            days=DEFAULT_VALID_DAYS
        )

    def clean_household(self) -> Any:
        reference = self.cleaned_data["household"].strip()
        household = access.visible_households(self.user).filter(reference__iexact=reference).first()
        if household is None:
            raise forms.ValidationError(
                _("No household with this reference lives at one of your sites.")
            )
        return household


class CouponCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300, required=False)


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Coupon code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    amount = AmountField(
        label=_("Purchase amount (SEK)"),
        min_value=Decimal("0.01"),
        widget=AmountInput(attrs={"autocomplete": "off"}),
    )


class CouponFilterForm(forms.Form):
    STATES = [
        ("", _("All")),
        (CouponStatus.ISSUED, CouponStatus.ISSUED.label),
        ("expired", _("Expired")),
        (CouponStatus.REDEEMED, CouponStatus.REDEEMED.label),
        (CouponStatus.CANCELLED, CouponStatus.CANCELLED.label),
    ]
    q = forms.CharField(label=_("Household reference or code"), required=False, max_length=60)
    state = forms.ChoiceField(label=_("Status"), required=False, choices=STATES)


class ShopForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Run by"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    name = forms.CharField(label=pgettext_lazy("shop", "Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        membership = access.membership_of(user)
        # The organisations the user may add a shop for; the page offers the form only if any.
        self.organisations = Organisation.objects.none()
        if membership is not None and membership.role == Role.COORDINATOR:
            self.organisations = Organisation.objects.all()
        elif membership is not None and membership.role == Role.PARTNER_ADMIN:
            self.organisations = Organisation.objects.filter(pk=membership.organisation_id)
            self.fields["organisation"].initial = membership.organisation.slug
        form_field(self, "organisation", forms.ModelChoiceField).queryset = self.organisations
