"""Whether a reader may open a page, asked of the rule the page's view is guarded with."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve, reverse

from .decorators import rule_of


def may_open(user: Any, name: str, *args: Any) -> bool:
    """Whether ``user`` passes the guard of the page named ``name``. The guard is the
    page's own ``access_required`` rule, so a link and its page cannot disagree; objects
    reached through the page's arguments are the caller's to check (``core.access``)."""
    view = resolve(reverse(name, args=args)).func
    rule = rule_of(view)
    if rule is None:
        raise ImproperlyConfigured(
            f"The page {name!r} is linked by rule but its view has no access_required rule."
        )
    return rule(user)
