"""An encrypted JSON field for the copy of a resident's data that a referral carries.

The copy is what the resident agreed to share with another organisation; like the
special-category flag of ``core/fields.py`` it is a Fernet token at rest, with the same keys.
"""

import json
from typing import TYPE_CHECKING, Any

from django.db import models

from tillsammans.core.fields import decrypt, encrypt


class EncryptedJSONField(models.TextField):
    """A JSON object stored encrypted. It cannot be filtered on in SQL, by design."""

    # Found by the key rotation (``core.keys``), which re-encrypts every such column.
    encrypted = True

    if TYPE_CHECKING:
        # What django-stubs reads as the Python type: a JSON value, not the stored text.
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return {}
        return json.loads(decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict | list):
            return value
        if value is None or value == "":
            return {}
        return self.from_db_value(value, None, None)

    def get_prep_value(self, value: Any) -> str:
        if value is None or value == {}:
            return ""
        return encrypt(json.dumps(value, ensure_ascii=False).encode())
