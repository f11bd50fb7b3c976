"""Encrypted text for a host's contact details and the notes of a follow-up.

The same Fernet keys as ``core/fields.py``; the values cannot be searched or sorted in SQL,
which is why a host's district (needed for the lists) is kept in the clear.
"""

from typing import Any

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from tillsammans.core.fields import fernet


class EncryptedTextField(models.TextField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "An encrypted field cannot be read with the configured keys."
            ) from exc

    def get_prep_value(self, value: Any) -> str:
        text = "" if value is None else str(value)
        return fernet().encrypt(text.encode()).decode() if text else ""
