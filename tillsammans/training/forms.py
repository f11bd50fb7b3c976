from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillsammans.core import access
from tillsammans.core.forms import DateField, MonthField, NumberField, form_field
from tillsammans.core.models import User
from tillsammans.partnership.models import Organisation, Role

from .models import TrainingSession, TrainingTopic
from .services import MAX_HOURS_PER_MONTH, MAX_SEATS


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=TrainingTopic.choices)
    held_on = DateField(label=_("Date"))
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput())
    place = forms.CharField(label=pgettext_lazy("training", "Place"), max_length=200)
    organiser = forms.ModelChoiceField(
        label=_("Organiser"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    max_seats = forms.IntegerField(
        label=_("Seats"),
        required=False,
        min_value=1,
        max_value=MAX_SEATS,
        help_text=_("Leave empty for no limit."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        membership = access.membership_of(user)
        organisations = Organisation.objects.none()
        if membership is not None and membership.role == Role.COORDINATOR:
            organisations = Organisation.objects.all()
        elif membership is not None:
            organisations = Organisation.objects.filter(pk=membership.organisation_id)
        form_field(self, "organiser", forms.ModelChoiceField).queryset = organisations
        if membership is not None:
            self.fields["organiser"].initial = membership.organisation.slug


class AttendanceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    staff_count = forms.IntegerField(
        label=_("Staff attending"),
        min_value=0,
        max_value=MAX_SEATS,
        help_text=_("0 takes the organisation off the list."),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Named attendees (optional)"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, user: Any = None, session: TrainingSession | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        membership = access.membership_of(user)
        # Whom the user may record attendance for; the page offers the form only if anyone.
        self.organisations = Organisation.objects.none()
        attendees = User.objects.none()
        if membership is not None:
            broad = membership.role == Role.COORDINATOR or (
                membership.role == Role.PARTNER_ADMIN
                and session is not None
                and session.organiser_id == membership.organisation_id
            )
            if broad:
                self.organisations = Organisation.objects.all()
            elif membership.role in (Role.PARTNER_ADMIN, Role.PARTNER_STAFF):
                self.organisations = Organisation.objects.filter(pk=membership.organisation_id)
            self.fields["organisation"].initial = membership.organisation.slug
            # Naming people is for one's own colleagues: nobody picks another partner's staff.
            attendees = User.objects.filter(
                is_active=True, membership__organisation_id=membership.organisation_id
            ).order_by("first_name", "email")
        form_field(self, "organisation", forms.ModelChoiceField).queryset = self.organisations
        form_field(self, "attendees", forms.ModelMultipleChoiceField).queryset = attendees


class VolunteerForm(forms.Form):
    alias = forms.CharField(
        label=_("First name or alias"),
        max_length=60,
        help_text=_("Only a first name or an alias: no surname, no contact details."),
    )
    helps_with = forms.CharField(
        label=_("Helps with"),
        max_length=300,
        help_text=_("For example: language café, homework help, clothing collection."),
    )


class VolunteerEditForm(VolunteerForm):
    active = forms.BooleanField(label=_("Active"), required=False)


class HoursForm(forms.Form):
    month = MonthField(label=_("Month"))
    hours = NumberField(label=_("Hours"), decimal_places=1, max_value=MAX_HOURS_PER_MONTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = timezone.localdate().strftime("%Y-%m")
