from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import split_header_value

from tillsammans.core.access import is_coordinator

_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz", "/residents/")


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


class DefaultLanguageMiddleware:
    """Swedish unless the user chose another language with the selector.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a staff member
    with an English browser would get English by default; the partnership works in Swedish
    and residents choose Ukrainian explicitly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = (
            chosen
            if chosen
            and translation.check_for_language(chosen)
            and chosen in dict(settings.LANGUAGES)
            else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in user is shown is kept by the browser or a proxy.

    Every such answer may carry personal data (a page, an API answer, an export), and a
    stored copy outlives the session: the next user of a shared computer could open it from
    the history or the cache. Static files are answered before this middleware (WhiteNoise),
    public pages such as /healthz are asked for without a session, and a view that declares
    its answer ``Cache-Control: public`` (the residents' services page, the same for
    everyone) has promised that nothing of the user is in it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not _declared_public(response):
            add_never_cache_headers(response)
        return response


def _declared_public(response: HttpResponse) -> bool:
    directives = split_header_value(response.get("Cache-Control", ""))
    return any(directive.lower() == "public" for directive in directives)


_PASSWORD_RESET_URL_NAMES = frozenset(
    {
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    }
)


class PasswordResetSwitchMiddleware:
    """With PASSWORD_RESET_ENABLED off (single sign-on only), allauth's reset pages are 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        match = request.resolver_match
        if (
            not settings.PASSWORD_RESET_ENABLED
            and match is not None
            and match.url_name in _PASSWORD_RESET_URL_NAMES
        ):
            raise Http404


class PagePolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's Content-Security-Policy (SECURE_CSP) on HTML pages only.

    The policy guards pages; on a PDF shown inline it would only risk the browser's own
    viewer being refused under ``object-src 'none'``, and on JSON or a spreadsheet it does
    nothing.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
