from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext

from tillsammans.core.lib.amounts import format_amount

register = template.Library()


@register.filter
def sek(value: Decimal | int | None) -> str:
    """An amount of money the Swedish way, as the money fields read it: 312 000,50 kr."""
    if value is None or value == "":
        return "–"
    return format_amount(value, 2) + "\u00a0kr"


@register.filter
def amount(value: Decimal | int | None, decimal_places: int = 2) -> str:
    """A number the Swedish way with ``decimal_places`` decimals: 1 250,5."""
    if value is None or value == "":
        return "–"
    return format_amount(value, int(decimal_places))


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def published(value: Any) -> Any:
    """A count as the partnership publishes it: under 5 is "fewer than 5".

    Small counts are never printed, so no one can be picked out of a published figure; a
    figure the application does not hold (None) says so.
    """
    if value is None:
        return gettext("not recorded")
    if isinstance(value, int) and value < 5:
        return gettext("fewer than 5")
    return value
