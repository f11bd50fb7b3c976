from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tillsammans.core.access import is_coordinator

_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/residents/")


class RequireMfaMiddleware:
    """Coordinators see and place everyone, so they must have TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MFA_REQUIRED_FOR_COORDINATORS
            and request.user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and is_coordinator(request.user)
            and not _has_totp(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
