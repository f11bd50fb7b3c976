from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import DateField, NumberField, form_field
from tillsammans.people.forms import PersonChoiceField
from tillsammans.people.models import Person

from . import selectors
from .models import (
    DISTRICT_CHOICES,
    Employer,
    EmploymentType,
    EndReason,
    ExplainedIn,
    JobSeeker,
    Occupation,
    Opening,
    Stage,
)
from .services import MAX_HOURS, OPENING_FIELDS, PROFILE_FIELDS


def _hours_per_week(**kwargs: Any) -> NumberField:
    return NumberField(
        label=_("Hours per week"), decimal_places=0, min_value=1, max_value=MAX_HOURS, **kwargs
    )


class OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name_sv}"


class ProfileForm(forms.ModelForm):
    wanted_occupation = OccupationChoiceField(
        label=_("Occupation wanted (SSYK 2012)"), queryset=Occupation.objects.all()
    )
    previous_occupation = OccupationChoiceField(
        label=_("Occupation held before (SSYK 2012)"),
        queryset=Occupation.objects.all(),
        required=False,
    )
    hours_per_week = _hours_per_week()

    class Meta:
        model = JobSeeker
        fields = PROFILE_FIELDS
        field_classes = {"available_from": DateField}
        widgets = {"experience": forms.Textarea(attrs={"rows": 4})}


class EnrolForm(ProfileForm):
    person = PersonChoiceField(
        label=_("Resident"), queryset=Person.objects.none(), to_field_name="public_id"
    )
    enrolled_on = DateField(label=_("Enrolled on"))
    consent_given_on = DateField(label=_("Consent given on"))
    consent_explained_in = forms.ChoiceField(
        label=_("Consent explained in"), choices=ExplainedIn.choices
    )
    consent = forms.BooleanField(
        label=_(
            "The resident agrees that the organisation keeps this profile and shows the CV to "
            "employers they are proposed to."
        )
    )

    field_order = ["person", "enrolled_on", "consent_given_on", "consent_explained_in", "consent"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = selectors.enrollable_persons(user).order_by(
            "last_name_latin", "first_name_latin", "id"
        )
        form_field(self, "person", forms.ModelChoiceField).queryset = self.persons
        today = timezone.localdate()
        self.fields["enrolled_on"].initial = today
        self.fields["consent_given_on"].initial = today
        self.fields["available_from"].initial = today


class StageForm(forms.Form):
    to = forms.ChoiceField(label=_("Next step"), choices=Stage.choices)
    expected = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    on = DateField(label=_("Date"))
    end_reason = forms.ChoiceField(
        label=_("Reason for ending"), choices=[("", "—"), *EndReason.choices], required=False
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=[("", "—"), *EmploymentType.choices], required=False
    )
    hours_per_week = _hours_per_week(required=False)
    starts_on = DateField(label=_("Start date"), required=False)

    def __init__(self, *args: Any, seeker: JobSeeker, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        next_stages = [(stage, Stage(stage).label) for stage in seeker.next_stages]
        form_field(self, "to", forms.ChoiceField).choices = next_stages
        self.fields["expected"].initial = seeker.stage
        self.fields["on"].initial = timezone.localdate()
        employers = selectors.visible_employers(user).filter(organisation_id=seeker.organisation_id)
        form_field(self, "employer", forms.ModelChoiceField).queryset = employers


class FollowUpForm(forms.Form):
    on = DateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class JobEndedForm(forms.Form):
    on = DateField(label=_("The job ended on"))


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation_number = forms.CharField(
        label=_("Organisation number"), max_length=20, required=False
    )
    district = forms.ChoiceField(
        label=_("District"), required=False, choices=[("", "—"), *DISTRICT_CHOICES]
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class OpeningForm(forms.ModelForm):
    occupation = OccupationChoiceField(
        label=_("Occupation (SSYK 2012)"), queryset=Occupation.objects.all()
    )
    hours_per_week = _hours_per_week()

    class Meta:
        model = Opening
        fields = OPENING_FIELDS
        field_classes = {"starts_on": DateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ProposeForm(forms.Form):
    seeker = forms.UUIDField()
    opening = forms.UUIDField()
