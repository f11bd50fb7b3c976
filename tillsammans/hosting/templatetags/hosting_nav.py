"""The main navigation's link to host homes, for those who may see hosts only."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tillsammans.hosting.rules import sees_hosts

register = template.Library()


@register.simple_tag(takes_context=True)
def hosting_nav_link(context: Any) -> SafeString | str:
    request = context.get("request")
    if request is None or not sees_hosts(getattr(request, "user", None)):
        return ""
    return format_html('<li><a href="{}">{}</a></li>', reverse("hosting_home"), _("Host homes"))
