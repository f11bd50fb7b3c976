"""Two changes to allauth's account pages: the login form offers a password reset only where
one is possible, and the reset page survives a mail server that is down."""

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.views import PasswordResetView as AllauthPasswordResetView
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .allauth_adapter import MailNotSent

MAIL_NOT_SENT = _(
    "The email could not be sent just now. Please try again in a while, or ask your "
    "organisation's administrator to set a new password for you."
)


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not settings.PASSWORD_RESET_ENABLED and "password" in self.fields:
            # allauth's help text is the "Forgot your password?" link.
            self.fields["password"].help_text = ""


class PasswordResetView(AllauthPasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except MailNotSent:
            # Known and unknown addresses are both mailed (allauth's unknown-account mail),
            # so this message tells nothing about which addresses have an account.
            form.add_error(None, MAIL_NOT_SENT)
            return self.form_invalid(form)


password_reset = PasswordResetView.as_view()
