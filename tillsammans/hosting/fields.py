"""Encrypted text for a host's contact details and the notes of a follow-up.

The same Fernet keys as ``core/fields.py``; the values cannot be searched or sorted in SQL,
which is why a host's district (needed for the lists) is kept in the clear.
"""

from typing import Any

from django.db import models

from tillsammans.core.fields import decrypt, encrypt


class EncryptedTextField(models.TextField):
    # Found by the key rotation (``core.keys``), which re-encrypts every such column.
    encrypted = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return decrypt(value).decode()

    def get_prep_value(self, value: Any) -> str:
        text = "" if value is None else str(value)
        return encrypt(text.encode()) if text else ""
