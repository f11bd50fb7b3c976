from typing import Any

from django import template
from django.urls import reverse

from tillsammans.jobs import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def jobs_entry_url(context: dict[str, Any]) -> str:
    """The nav's Jobbstart link: the caseload for coaches and the coordinator, else figures."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and selectors.sees_jobs(user):
        return reverse("jobs_home")
    return reverse("jobs_figures")
