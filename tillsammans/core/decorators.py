from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from tillsammans.core import access


def people_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and in a role that may see persons; others get the same 404 as a miss."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.sees_people(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_coordinator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any user with a membership, viewers included."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if access.membership_of(request.user) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
