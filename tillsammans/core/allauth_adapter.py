import logging
import smtplib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.mail import MailerDoesNotExist
from django.http import HttpRequest

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused the mail or could not be reached; the page says so."""


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a partner admin or the coordinator, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError, MailerDoesNotExist) as exc:
            # The address stays out of the log: it would tell a reader of the log which
            # accounts exist.
            logger.error("Mail %s could not be sent: %r", template_prefix, exc)
            raise MailNotSent from exc

    def get_client_ip(self, request: HttpRequest) -> str:
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured as exc:
            # allauth's answer to an X-Forwarded-For shorter than TRUSTED_PROXY_COUNT: the
            # request did not come through every trusted proxy, so its address is unknown.
            logger.warning("Client address unknown: %s", exc)
            raise PermissionDenied("Unable to determine client IP address") from exc


class NoSignupSocialAdapter(DefaultSocialAccountAdapter):
    """Single sign-on logs in existing staff; it does not create accounts."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
