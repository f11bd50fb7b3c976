from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .models import Role


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

    def __init__(self, *args: object, allow_coordinator: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not allow_coordinator:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.COORDINATOR]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password
