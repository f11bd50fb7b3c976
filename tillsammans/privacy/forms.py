from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import DateField, MonthField

from .models import CorrectionStatus


class ExtractForm(forms.Form):
    """A register extract, in the language the person reads."""

    language = forms.ChoiceField(
        label=_("Language of the extract"), choices=[("sv", "Svenska"), ("uk", "Українська")]
    )
    asked_on = DateField(label=_("The person asked for it on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"asked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CorrectionForm(forms.Form):
    received_on = DateField(label=_("Received on"))
    request = forms.CharField(
        label=_("What the person asks to have corrected"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CorrectionHandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(CorrectionStatus.CORRECTED, CorrectionStatus.CORRECTED.label),
                 (CorrectionStatus.REFUSED, CorrectionStatus.REFUSED.label)],
    )  # fmt: skip
    handled_on = DateField(label=_("Handled on"))
    outcome = forms.CharField(
        label=_("What was done, or why not"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"handled_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SignOffForm(forms.Form):
    month = MonthField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("What you checked and found"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the flagged reads were explained by the month's move; the "
                    "sample's reads each had a reason in the person's case."),
    )  # fmt: skip
