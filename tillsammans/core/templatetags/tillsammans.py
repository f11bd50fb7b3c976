from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def published(value: Any) -> Any:
    """A count as the partnership publishes it: 1 to 4 is "fewer than 5".

    Small counts are never printed, so no one can be picked out of a published figure; zero
    picks out no one and is shown as it is; a figure the application does not hold (None)
    says so.
    """
    if value is None:
        return gettext("not recorded")
    if isinstance(value, int) and 0 < value < 5:
        return gettext("fewer than 5")
    return value
