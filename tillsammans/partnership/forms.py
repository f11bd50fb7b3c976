from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tillsammans.core import files
from tillsammans.core.forms import DateField, DocumentFileField, NumberField, form_field
from tillsammans.core.lib import orgnumber

from .models import (
    MUNICIPAL_ROLES,
    DocumentKind,
    GroupKind,
    IndicatorUnit,
    Measure,
    Organisation,
    OrganisationKind,
    Role,
)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    # The least a new user can do until someone chooses more: never an admin by default.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTNER_STAFF)

    def __init__(self, *args: Any, allow_coordinator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_coordinator:
            roles = [c for c in Role.choices if c[0] not in MUNICIPAL_ROLES]
            form_field(self, "role", forms.ChoiceField).choices = roles

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"), max_length=60, help_text=_("As menus and tables show it.")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OrganisationKind.choices, initial=OrganisationKind.NONPROFIT
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("Ten digits, for example 802002-4280."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )

    def clean_organisation_number(self) -> str:
        return orgnumber.normalise(self.cleaned_data["organisation_number"])


# The indicators' columns hold 12 digits, one of them a decimal.
LARGEST = Decimal("99999999999.9")


def _text(label: Any, help_text: Any = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=20_000, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )  # fmt: skip


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("Title"), max_length=200)
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(
        label=_("Ends on"), required=False, help_text=_("Empty: until further notice.")
    )
    places = NumberField(
        label=_("Places agreed from the start"), decimal_places=0, min_value=1,
        max_value=1_000_000, required=False,
        help_text=_("Later changes of the number are added on the agreement's page."),
    )  # fmt: skip
    description = _text(_("Summary"), rows=2)
    purpose = _text(_("Purpose"))
    common_goal = _text(_("Common goal"))
    legal_basis = _text(
        _("Legal basis"), _("The decisions and laws the agreement rests on, one per line.")
    )
    shared_values = _text(_("Shared values"))
    coordination = _text(
        _("The city's role"), _("Who coordinates the partnership, and how."), rows=3
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["places"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The agreement cannot end before it starts."))
        return data


class PartyAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    joined_on = DateField(label=_("Joins on"))
    contribution = _text(
        _("What it contributes"), _("The partner's annex: its places and added values.")
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = organisations


class PartyForm(forms.Form):
    joined_on = DateField(label=_("Joined on"))
    left_on = DateField(
        label=_("Left on"), required=False, help_text=_("Empty while the organisation takes part.")
    )
    contribution = _text(
        _("What it contributes"), _("The partner's annex: its places and added values."), rows=8
    )

    def __init__(self, *args: Any, dates: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not dates:
            del self.fields["joined_on"], self.fields["left_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        joined_on, left_on = data.get("joined_on"), data.get("left_on")
        if joined_on and left_on and left_on < joined_on:
            self.add_error("left_on", _("A party cannot leave before it joined."))
        return data


class TargetForm(forms.Form):
    valid_from = DateField(label=_("From"))
    places = NumberField(label=_("Places"), decimal_places=0, min_value=1, max_value=1_000_000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Party"), queryset=Organisation.objects.none(), required=False,
        help_text=_("For a partner's annex: whose it is."),
    )  # fmt: skip
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = DocumentFileField(label=_("File (PDF, PNG or JPEG)"))

    def __init__(
        self, *args: Any, parties: QuerySet[Organisation], whole_agreement: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = parties
        if not whole_agreement:  # a partner's admin adds only its own annex
            kinds = [(DocumentKind.PARTNER_ANNEX.value, DocumentKind.PARTNER_ANNEX.label)]
            form_field(self, "kind", forms.ChoiceField).choices = kinds

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DocumentKind.PARTNER_ANNEX and not data.get("organisation"):
            self.add_error("organisation", _("Choose the party whose annex it is."))
        return data


class OrganisationProfileForm(forms.Form):
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    logo = DocumentFileField(label=_("Logo (PNG or JPEG)"), required=False, accepted=files.IMAGES)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=120, required=False,
        help_text=_("Needed for a group of kind “other”, for example Summer jobs group."),
    )  # fmt: skip
    purpose = _text(_("Purpose"), rows=3)


class GroupMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args: Any, parties: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = parties


class MeetingForm(forms.Form):
    held_on = DateField(label=_("Date"))
    agenda = _text(_("Agenda"), rows=6)
    minutes = _text(_("Minutes"), rows=10)


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    owner_name = forms.CharField(label=_("Responsible person"), max_length=200, required=False)
    due_on = DateField(label=_("Due date"), required=False)

    def __init__(self, *args: Any, parties: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "owner", forms.ModelChoiceField).queryset = parties


class FollowUpForm(forms.Form):
    follow_up = _text(_("Follow-up"), rows=4)
    done_on = DateField(label=_("Done on"), required=False, help_text=_("Empty while not done."))


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = _text(_("Description"), rows=3)
    title_en = forms.CharField(
        label=_("Goal in English"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the annual report's English edition; if empty, it shows the Swedish."),
    )  # fmt: skip
    description_en = _text(_("Description in English"), rows=3)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    name_en = forms.CharField(
        label=_("Indicator in English"), max_length=300, required=False,
        help_text=_("For the annual report's English edition; if empty, it shows the Swedish."),
    )  # fmt: skip
    measure = forms.ChoiceField(
        label=_("Computed from"), required=False,
        choices=[("", _("— entered by hand each year —")), *Measure.choices],
    )  # fmt: skip
    unit = forms.ChoiceField(label=_("Unit"), choices=IndicatorUnit.choices)
    baseline = NumberField(
        label=_("Baseline"), decimal_places=1, required=False, min_value=0, max_value=LARGEST
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=2000, max_value=2100
    )
    target = NumberField(
        label=_("Target"), decimal_places=1, required=False, min_value=0, max_value=LARGEST
    )


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = NumberField(label=_("Outcome"), decimal_places=1, min_value=0, max_value=LARGEST)
    note = forms.CharField(
        label=_("Source"), max_length=300, required=False,
        help_text=_("For example: the residents' survey of November."),
    )  # fmt: skip
