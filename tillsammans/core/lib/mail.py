"""Mail to people whose language the product does not know (an invited person, a partner's
staff): the text in Swedish first, then in English, under a Swedish subject."""

from collections.abc import Callable
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_in_swedish_and_english(
    template: str, context: dict[str, Any], subject: Callable[[], str], to: list[str]
) -> None:
    """Render ``template`` in Swedish and in English, one after the other, and mail it to
    ``to`` under ``subject()`` made in Swedish."""
    parts = []
    for language in ("sv", "en"):
        with translation.override(language):
            parts.append(render_to_string(template, context))
    with translation.override("sv"):
        title = subject()
    send_mail(title, "\n\n----\n\n".join(parts), None, to)
