from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a partner admin or the coordinator, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class NoSignupSocialAdapter(DefaultSocialAccountAdapter):
    """Single sign-on logs in existing staff; it does not create accounts."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
