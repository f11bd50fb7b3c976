from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.addedvalues.models import Service, ServiceCategory
from tillsammans.core.forms import DateField, form_field
from tillsammans.partnership.models import Organisation
from tillsammans.people.forms import PersonChoiceField
from tillsammans.people.models import Household, Person

from .models import ConsentScope, ExplainedIn
from .services import MAX_REASON, MAX_TEXT


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a resident"), required=False, max_length=100)


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.organisation.short_name} — {obj.name()}"


def _persons(household: Household) -> QuerySet[Person]:
    return Person.objects.filter(household=household).order_by("birth_date", "id")


class ConsentForm(forms.Form):
    person = PersonChoiceField(
        label=_("Whose consent"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("The whole household"),
        to_field_name="public_id",
    )
    scopes = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    any_partner = forms.BooleanField(label=_("With any partner of the partnership"), required=False)
    partners = forms.ModelMultipleChoiceField(
        label=_("Or only with these partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )
    given_on = DateField(label=_("Given on"))
    explained_in = forms.ChoiceField(
        label=_("Explained to the resident in"), choices=ExplainedIn.choices
    )

    def __init__(
        self, *args: Any, household: Household, own_organisation_id: int | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "person", forms.ModelChoiceField).queryset = _persons(household)
        partners = Organisation.objects.order_by("name")
        if own_organisation_id is not None:
            partners = partners.exclude(pk=own_organisation_id)
        form_field(self, "partners", forms.ModelMultipleChoiceField).queryset = partners
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    on = DateField(label=_("Withdrawn on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ReferralForm(forms.Form):
    person = PersonChoiceField(
        label=_("Resident"),
        queryset=Person.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose a resident"),
    )
    service = ServiceChoiceField(
        label=_("Service of another partner"),
        queryset=Service.objects.none(),
        to_field_name="public_id",
        empty_label=_("Choose a service"),
    )
    contact = forms.CharField(
        label=_("How to reach them"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("Phone or e-mail. Only if the consent covers name and contact."),
    )
    health_note = forms.CharField(
        label=_("Health-related needs"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the other partner needs to know, not a diagnosis. Only if covered."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if the consent covers the reason."),
    )

    def __init__(
        self, *args: Any, household: Household, own_organisation_id: int | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "person", forms.ModelChoiceField).queryset = _persons(household)
        # Staff training is for the partners' staff, not something to refer a resident to.
        services = (
            Service.objects.exclude(category=ServiceCategory.STAFF_TRAINING)
            .select_related("organisation")
            .order_by("organisation__name", "name_sv")
        )
        if own_organisation_id is not None:
            services = services.exclude(organisation_id=own_organisation_id)
        form_field(self, "service", forms.ModelChoiceField).queryset = services


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why it is declined"), max_length=MAX_REASON)


class DoneForm(forms.Form):
    on = DateField(label=_("Given on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    confirm = forms.BooleanField(
        label=_("Record it even if the service's limit warns"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
