"""Links that are shown only to those who may open them (``core.links.may_open``)."""

from typing import Any

from django import template

from tillsammans.core.links import may_open as _may_open
from tillsammans.core.menu import menu_for

register = template.Library()


def _reader(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, name: str, *args: Any) -> bool:
    """``{% may_open "rate_list" as sees_rates %}``: whether the reader may open the page."""
    return _may_open(_reader(context), name, *args)


@register.inclusion_tag("core/includes/menu.html", takes_context=True)
def main_menu(context: template.Context) -> dict[str, Any]:
    """The main menu, grouped by what people do, with only what the reader may open."""
    request = context.get("request")
    path = request.path if request is not None else ""
    return {"groups": menu_for(_reader(context), path)}
