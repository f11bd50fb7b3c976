from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import DateField, LanguageCodesField
from tillsammans.housing.models import Site

from .models import WEEKDAYS, Service


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%H:%M", **kwargs)  # type: ignore[arg-type]


class ServiceForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = LanguageCodesField(
        label=_("Languages spoken"), help_text=_("Language codes, e.g. uk, ru, sv, en.")
    )

    class Meta:
        model = Service
        fields = [
            "name_sv",
            "name_en",
            "name_uk",
            "description_sv",
            "description_en",
            "description_uk",
            "category",
            "is_meeting_place",
            "site",
            "address",
            "weekdays",
            "starts_at",
            "ends_at",
            "schedule_sv",
            "schedule_en",
            "schedule_uk",
            "languages",
            "eligibility",
            "capacity",
            "limit_count",
            "limit_days",
            "limit_enforcement",
            "is_published",
        ]
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_uk": forms.Textarea(attrs={"rows": 3}),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
        }

    def __init__(self, *args: Any, organisation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        ).order_by("name")
        self.fields["site"].help_text = _("One of your sites, or an address below.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The service must end after it starts."))
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DeliveryForm(forms.Form):
    """Several residents at once (a session's attendance), or one."""

    on = DateField(label=_("Date"))
    person = forms.MultipleChoiceField(label=_("People"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Record anyway"), required=False)

    def __init__(self, *args: Any, person_ids: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["person"].choices = [(value, value) for value in person_ids or []]


class HouseholdDeliveryForm(forms.Form):
    """One service to one household, from the resident page.

    The services and persons come as lists the page has already loaded, so that the form
    costs no query of its own; ``cleaned_data`` holds the chosen objects.
    """

    service = forms.ChoiceField(label=_("Service"))
    person = forms.ChoiceField(label=_("Person"), required=False)
    on = DateField(label=_("Date"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Record anyway"), required=False)

    def __init__(
        self, *args: Any, services: Sequence[Service] = (), persons: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.services = {str(service.public_id): service for service in services}
        self.persons = {str(person.public_id): person for person in persons}
        self.fields["service"].choices = [  # type: ignore[attr-defined]
            (key, service.name()) for key, service in self.services.items()
        ]
        self.fields["person"].choices = [("", _("The whole household"))] + [  # type: ignore[attr-defined]
            (key, f"{person} ({person.birth_date.year})") for key, person in self.persons.items()
        ]

    def clean_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]

    def clean_person(self) -> Any:
        return self.persons.get(self.cleaned_data["person"])


class HeadCountForm(forms.Form):
    on = DateField(label=_("Date"))
    count = forms.IntegerField(label=_("Visitors"), min_value=1, max_value=10_000)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
