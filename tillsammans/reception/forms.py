import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tillsammans.core import access
from tillsammans.core.forms import DateField, form_field
from tillsammans.housing.models import Unit

from .models import AllocationStatus, ExitReason


def unit_label(unit: Unit) -> str:
    free = getattr(unit, "beds_free", None)
    base = f"{unit.site.name} — {unit.name} ({unit.site.organisation.short_name})"
    if free is None:
        return base
    return ngettext("%(unit)s: %(free)s free bed", "%(unit)s: %(free)s free beds", free) % {
        "unit": base,
        "free": free,
    }


class UnitChoiceForm(forms.Form):
    """Offers only the units that fit, but accepts any unit the user may see.

    The list can be stale by the time the form is sent; the service then answers with the
    real reason ("no longer room") instead of a generic invalid-choice error.
    """

    unit_field = "unit"

    def offer(self, user: Any, fitting: Any) -> None:
        field = form_field(self, self.unit_field, forms.ModelChoiceField)
        field.queryset = access.visible_units(user).select_related("site__organisation")
        field.widget.choices = [("", "—")] + [(str(u.public_id), unit_label(u)) for u in fitting]


class PlaceForm(UnitChoiceForm):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Unit"), to_field_name="public_id"
    )
    on = DateField(label=_("Move-in date"))


class MoveForm(UnitChoiceForm):
    unit_field = "to_unit"
    to_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("New unit"), to_field_name="public_id"
    )
    on = DateField(label=_("Date of the move"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class MoveOutForm(forms.Form):
    on = DateField(label=_("Move-out date"))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (value, label) for value, label in ExitReason.choices if value != ExitReason.MOVED
        ],
    )

    def __init__(self, *args: Any, moved_in: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.moved_in = moved_in

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        # Said before the confirmation asks, not after the user has confirmed a wrong date.
        if self.moved_in is not None and on < self.moved_in:
            raise forms.ValidationError(_("The move-out date cannot be before the move-in date."))
        return on


class MoveOutCorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("Why was the move-out wrong?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the wrong household was chosen. Write no health or other sensitive "
            "details."
        ),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (AllocationStatus.REFUSED, AllocationStatus.REFUSED.label),
            (AllocationStatus.CANCELLED, AllocationStatus.CANCELLED.label),
            (AllocationStatus.NEVER_ARRIVED, AllocationStatus.NEVER_ARRIVED.label),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300,
        help_text=_("E.g. the household came to the reception office on 3 March."),
    )  # fmt: skip


class AllocationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *AllocationStatus.choices]
    )


class AllocationCreateForm(forms.Form):
    reference = forms.CharField(label=_("Allocation reference"), max_length=40)
    allocated_on = DateField(label=_("Allocated on"))
    expected_arrival = DateField(label=_("Expected arrival"), required=False)
    household_reference = forms.CharField(label=_("Household reference"), max_length=40)
    needs_accessible = forms.BooleanField(label=_("Needs an accessible place"), required=False)
    has_pets = forms.BooleanField(label=_("Has pets"), required=False)
    medical_priority = forms.BooleanField(label=_("Medical priority"), required=False)
    unaccompanied = forms.BooleanField(
        label=_("An unaccompanied child or young person"),
        required=False,
        help_text=_(
            "Placed only in a licensed home for children on the social services' decision."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        allocated, arrival = data.get("allocated_on"), data.get("expected_arrival")
        if allocated and arrival and arrival < allocated:
            self.add_error(
                "expected_arrival", _("The expected arrival cannot be before the allocation date.")
            )
        return data
