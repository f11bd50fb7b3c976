from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import form_field
from tillsammans.core.lib import orgnumber

from .models import OrganisationKind, Role


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    # The least a new user can do until someone chooses more: never an admin by default.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTNER_STAFF)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Give it to the person in a safe way; they change it after logging in."),
    )

    def __init__(self, *args: Any, allow_coordinator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_coordinator:
            roles = [c for c in Role.choices if c[0] != Role.COORDINATOR]
            form_field(self, "role", forms.ChoiceField).choices = roles

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


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
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean_organisation_number(self) -> str:
        return orgnumber.normalise(self.cleaned_data["organisation_number"])
