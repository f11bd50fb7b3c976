"""Who may open a page, said once on the view.

``access_required(rule)`` keeps the rule on the view it guards, so that a link to the page
asks the same question as the page itself (``core.links.may_open``): a menu or a page never
offers what its reader would get a 404 for.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from tillsammans.core import access

View = Callable[..., HttpResponse]
Rule = Callable[[Any], bool]
RULE_ATTRIBUTE = "access_rule"


def access_required(rule: Rule) -> Callable[[View], View]:
    """Logged in, and ``rule(user)``; anyone else gets the same 404 as a missing page."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not rule(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        setattr(wrapper, RULE_ATTRIBUTE, rule)
        return wrapper

    return decorator


def rule_of(view: Any) -> Rule | None:
    """The rule a view was guarded with; decorators built with ``functools.wraps`` (such as
    ``require_POST``) carry it outwards."""
    return getattr(view, RULE_ATTRIBUTE, None)


people_required = access_required(access.sees_people)
coordinator_required = access_required(access.is_coordinator)
member_required = access_required(access.is_member)
dpo_required = access_required(access.is_data_protection_officer)
