"""Field encryption for the few special-category values (GDPR art. 9).

Values are Fernet tokens in the database; a stolen database file or backup does not show
them. Keys come from ``FIELD_ENCRYPTION_KEYS``: the first encrypts, all decrypt.
"""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import capfirst


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds an invalid key: {exc}") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(data: bytes) -> str:
    return fernet().encrypt(data).decode()


def decrypt(token: str) -> bytes:
    """The plain bytes of a stored token; a token no configured key opens stops the request."""
    try:
        return fernet().decrypt(token.encode())
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the configured keys."
        ) from exc


class EncryptedBooleanField(models.TextField):
    """A boolean stored encrypted. It cannot be filtered on in SQL, by design."""

    # Found by the key rotation (``core.keys``), which re-encrypts every such column.
    encrypted = True

    # How django-stubs types the model's attribute: a bool, not the text stored. The stubs
    # give no other way for a TextField subclass to say so.
    _pyi_private_set_type: bool  # type: ignore[assignment]
    _pyi_private_get_type: bool  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> bool:
        if value is None or value == "":
            return False
        return decrypt(value) == b"1"

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value in (None, "", "0", "False", "false"):
            return False
        if value in ("1", "True", "true", "on"):
            return True
        return self.from_db_value(value, None, None)

    def get_prep_value(self, value: Any) -> str:
        flag = b"1" if self.to_python(value) else b"0"
        return encrypt(flag)

    def formfield(self, **kwargs: Any) -> Any:
        # Not Field.formfield: that would build a text field. The label and help come from
        # the model field as for any other field, or the form would show the field's name.
        defaults = {"label": capfirst(self.verbose_name), "help_text": self.help_text}
        return forms.BooleanField(required=False, **{**defaults, **kwargs})
