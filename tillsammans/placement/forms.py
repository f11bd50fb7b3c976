from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core import access
from tillsammans.core.forms import DateField, form_field
from tillsammans.housing.models import Unit

from .models import FitWeights


class ProposeForm(forms.Form):
    on = DateField(label=_("Date of the move"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AcceptForm(forms.Form):
    """Accept every proposed place, or only the items ticked on the page."""

    selection = forms.ChoiceField(choices=[("all", "all"), ("selected", "selected")])
    items = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, proposal_items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = [(str(item.public_id), "") for item in proposal_items]
        form_field(self, "items", forms.MultipleChoiceField).choices = items

    def item_ids(self) -> list[str] | None:
        if self.cleaned_data["selection"] == "all":
            return None
        return list(self.cleaned_data["items"])


class ItemActionForm(forms.Form):
    """Pin the household to a unit, take the pin away, forbid a unit or allow it again."""

    PIN, UNPIN, FORBID, ALLOW = "pin", "unpin", "forbid", "allow"

    action = forms.ChoiceField(
        choices=[(PIN, PIN), (UNPIN, UNPIN), (FORBID, FORBID), (ALLOW, ALLOW)]
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, to_field_name="public_id"
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = access.visible_units(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") != self.UNPIN and data.get("unit") is None:
            raise forms.ValidationError(_("Choose a unit."))
        return data


class FitWeightsForm(forms.ModelForm):
    class Meta:
        model = FitWeights
        fields = ["distance", "language", "food", "fairness"]
