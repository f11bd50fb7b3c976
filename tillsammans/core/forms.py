import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .lib.dates import BIRTH, OPERATIONAL, DateRange, parse_month
from .models import AuditAction


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m", **kwargs)  # type: ignore[arg-type]


class DateField(forms.DateField):
    """A date within the range a person can mean; every form that takes a date uses it.

    ``within`` is a range of ``core.lib.dates``: ``OPERATIONAL`` (the default) for what the
    partnership records and plans, moves, proposals, deliveries, reports, agreements and
    permits, from 1 January 2000 to 31 December ten years after this year; ``BIRTH`` for a
    date of birth, from 1 January 1900 to today. A date outside is refused with a message
    that names the range, so that year 1 or 9999 (a typo) never reaches a service, whose
    arithmetic would overflow. The date picker gets the same bounds (min, max).
    """

    widget = DateInput
    default_error_messages = {
        "range": _("Enter a date between %(earliest)s and %(latest)s."),
    }

    def __init__(self, *, within: DateRange = OPERATIONAL, **kwargs: Any) -> None:
        self.within = within
        super().__init__(**kwargs)

    def bounds(self) -> tuple[dt.date, dt.date]:
        return self.within.bounds(timezone.localdate())

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        earliest, latest = self.bounds()
        return super().widget_attrs(widget) | {
            "min": earliest.isoformat(),
            "max": latest.isoformat(),
        }

    def __deepcopy__(self, memo: dict[int, Any]) -> "DateField":
        # Each form gets a copy of its class's fields: the place to take today's bounds.
        result = super().__deepcopy__(memo)
        widget = result.widget
        assert isinstance(widget, forms.Widget)
        widget.attrs.update(result.widget_attrs(widget))
        return result

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        if not earliest <= value <= latest:
            raise ValidationError(
                self.error_messages["range"],
                code="range",
                params={
                    "earliest": formats.date_format(earliest),
                    "latest": formats.date_format(latest),
                },
            )


class BirthDateField(DateField):
    """A date of birth: from 1 January 1900 to today."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(within=BIRTH, **kwargs)


class MonthField(forms.Field):
    """A month picked or typed as YYYY-MM (ASCII digits), cleaned to its first day; within
    the operational range (January 2000 to December ten years after this year), like
    ``DateField``. Every form that takes a month uses it."""

    widget = MonthInput
    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM, e.g. 2022-10."),
        "range": _("Enter a month between %(earliest)s and %(latest)s."),
    }

    def __init__(self, *, within: DateRange = OPERATIONAL, **kwargs: Any) -> None:
        self.within = within
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        text = str(value).strip()
        month = parse_month(text)
        if month is None and re.fullmatch(r"0000-(0[1-9]|1[0-2])", text):
            raise self._out_of_range()  # a month of the year 0, which no date has
        if month is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return month

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.within.bounds(timezone.localdate())
        if not earliest.replace(day=1) <= value <= latest:
            raise self._out_of_range()

    def _out_of_range(self) -> ValidationError:
        earliest, latest = self.within.bounds(timezone.localdate())
        return ValidationError(
            self.error_messages["range"],
            code="range",
            # As the month is typed, which reads the same in every language.
            params={"earliest": f"{earliest:%Y-%m}", "latest": f"{latest:%Y-%m}"},
        )


class MonthForm(forms.Form):
    """The month a page shows, from ``?month=YYYY-MM``: this month when none is given."""

    month = MonthField(label=_("Month"), required=False)

    def chosen(self) -> dt.date | None:
        """The first day of the month asked for (this month if none), or None if the month
        asked for is not one; the form's errors then say why."""
        if not self.is_valid():
            return None
        return self.cleaned_data["month"] or timezone.localdate().replace(day=1)

    def problem(self) -> str:
        """Why the month asked for is not one, for a message on the next page."""
        return " ".join(str(error) for error in self.errors.get("month", []))


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
    who = forms.CharField(label=_("Who (email)"), required=False, max_length=254)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices]
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("The end date cannot be before the start date."))
        return data
