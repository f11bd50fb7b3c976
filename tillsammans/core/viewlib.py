"""Small helpers that views share: turning a service's refusal into a form error or a
message, never a 500; giving the forms that share a page ids of their own."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.text import capfirst
from django_htmx.middleware import HtmxDetails

from .errors import ServiceError
from .versions import StaleError


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it, for views that read ``request.htmx``."""

    htmx: HtmxDetails


def call_service[T](form: forms.BaseForm, service: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Run a service; a ServiceError or ValidationError becomes a form error, not a 500."""
    try:
        return service(**kwargs)
    except StaleError as exc:
        # The form is shown again with what the user typed, now carrying the current version:
        # saving it again keeps theirs, knowingly (``core.versions``).
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
        data[form.add_prefix("version")] = exc.current
        form.data = data
        form.add_error(None, str(exc.message))
    except ServiceError as exc:
        form.add_error(None, str(exc.message))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            form.add_error(None, exc)
    return None


def call_service_or_message[T](
    request: HttpRequest, service: Callable[..., T], /, **kwargs: Any
) -> T | None:
    """Run a service; a refusal becomes an error message for the next page, and None."""
    try:
        return service(**kwargs)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return None


def form_errors_as_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form posted from a page that shows no form: each field's errors become one message,
    which names the field ("Mottagen den: Detta fält måste fyllas i"), since the message is
    read away from the field it is about."""
    for name, errors in form.errors.items():
        # Iterating an ErrorList yields its messages as str (ErrorList.__getitem__); the stubs
        # type the raw items it holds, ValidationErrors among them.
        text = " ".join(errors)  # type: ignore[arg-type]
        field = form.fields.get(name)
        if field is not None and field.label:
            text = f"{capfirst(str(field.label))}: {text}"
        messages.error(request, text)


def page_forms[F: forms.BaseForm | None](**named: F) -> dict[str, F]:
    """The forms of one page, each with ids of its own, keyed by their names in the context.

    Django's ids name the field alone (``id_on``), so two forms with a field of the same name
    repeat an id, and the second form's label then points at the first form's input for
    assistive technology. Each form's ids here start with its own name (``id_move_out-on``
    for ``move_out_form``); the field names, and so the POST handlers, stay as they are.
    A form shown several times on a page (one per row) needs a ``prefix`` of its own instead.
    """
    for name, form in named.items():
        if form is not None:
            form.auto_id = f"id_{name.removesuffix('_form')}-%s"
    return named
