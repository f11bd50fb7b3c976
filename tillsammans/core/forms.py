from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class LanguageCodesField(forms.CharField):
    """Language codes typed as "uk, ru, en", kept as a list of lower-case codes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        raw = super().to_python(value) or ""
        codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
        for code in codes:
            if not code.isalpha() or not 2 <= len(code) <= 3:
                raise ValidationError(
                    _("“%(code)s” is not a language code such as uk or sv."), params={"code": code}
                )
        return list(dict.fromkeys(codes))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class AuditSearchForm(forms.Form):
    who = forms.CharField(label=_("Who (email)"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("The end date cannot be before the start date."))
        return data
