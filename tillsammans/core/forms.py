import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import files
from .lib.amounts import AmountError, exact_amount, format_amount, parse_amount
from .lib.dates import BIRTH, OPERATIONAL, DateRange, parse_month
from .models import AuditAction


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's own copy of field ``name``, as the class it was declared with: a form keeps
    its fields as plain ``Field``s, so a choice list or a queryset is set through this."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


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

    # A list where CharField gives text: the field exists to turn the text into codes.
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


class AmountInput(forms.TextInput):
    """A text box for an amount, showing it the Swedish way (``312 000,50``).

    Never ``type=number``: browsers drop or reinterpret a decimal comma there (312000,50 was
    sent as 31200050). ``inputmode`` still brings up a keyboard with digits on a phone.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, decimal_places: int = 2) -> None:
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.decimal_places = decimal_places

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_amount(value, self.decimal_places, space=" ")
        return super().format_value(value)  # what was typed, as it was typed


def _example(decimal_places: int) -> str:
    return {0: "1 250", 1: "7,5", 2: "1 250,50"}.get(decimal_places, "0," + "5" * decimal_places)


class AmountField(forms.Field):
    """An amount of money (SEK) as a Swedish user types it; the one field for money.

    Accepted: ``312000,50``, ``312 000,50``, ``312000.50``, ``312 000,50 kr``, ``100 SEK``,
    ``100:-``; thousands grouped in threes by a space, a no-break space (U+00A0) or a narrow
    no-break space (U+202F); a leading ``-`` or ``−`` where ``min_value`` allows a negative.
    Refused with a message that says what to type instead: ``1,234`` and ``1.234`` (thousands
    or decimals?), ``3 12000``, ``1.234,50``, letters, other digits than 0–9, more decimals
    than ``decimal_places``. The exact rules are in ``core.lib.amounts.parse_amount`` and
    ADR 17. The value is a ``Decimal`` with ``decimal_places`` decimals, or an ``int`` when
    ``decimal_places`` is 0 (whole kronor, whole hours).
    """

    widget = AmountInput
    currency = True
    default_error_messages = {
        "invalid": _("Type digits, with a comma before any decimals, for example %(example)s."),
        "digits": _("Type the number with the digits 0–9, for example %(example)s."),
        "marks": _(
            "Use one decimal mark only: a comma before the decimals, and spaces between "
            "thousands, for example %(example)s."
        ),
        "grouping": _(
            "Group the thousands in threes, for example 1 250 000, or type the number "
            "without spaces."
        ),
        "ambiguous": _(
            "“%(typed)s” could mean thousands or decimals. Type thousands with a space, for "
            "example %(thousands)s, and decimals with a comma, for example %(example)s."
        ),
        "ambiguous_whole": _(
            "“%(typed)s” could mean thousands or decimals. Type thousands with a space, for "
            "example %(thousands)s; this field takes whole numbers only."
        ),
        "decimals": ngettext_lazy(
            "Type at most %(places)s decimal, for example %(example)s.",
            "Type at most %(places)s decimals, for example %(example)s.",
            "places",
        ),
        "whole": _("Type a whole number, without decimals."),
        "min_value": _("Type at least %(limit)s."),
        "max_value": _("Type at most %(limit)s."),
    }

    def __init__(
        self,
        *,
        decimal_places: int = 2,
        min_value: Decimal | int | None = 0,
        max_value: Decimal | int | None = None,
        example: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.decimal_places = decimal_places
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)
        self.example = example or _example(decimal_places)
        self.widget.decimal_places = decimal_places

    def _reaches_a_thousand(self) -> bool:
        limits = (self.min_value, self.max_value)
        return any(limit is None or abs(limit) >= 1000 for limit in limits)

    def _refusal(self, code: str, **params: Any) -> ValidationError:
        params = {"example": self.example, "places": self.decimal_places, **params}
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value: Any) -> Decimal | int | None:
        if value in self.empty_values:
            return None
        try:
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                amount = exact_amount(Decimal(value), decimal_places=self.decimal_places)
            else:
                amount = parse_amount(
                    str(value),
                    decimal_places=self.decimal_places,
                    currency=self.currency,
                    thousands=self._reaches_a_thousand(),
                )
        except AmountError as exc:
            code = exc.code
            if code == "decimals" and self.decimal_places == 0:
                code = "whole"
            elif code == "ambiguous" and self.decimal_places == 0:
                code = "ambiguous_whole"
            raise self._refusal(code, **exc.params) from exc
        return int(amount) if self.decimal_places == 0 else amount

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise self._refusal("min_value", limit=self._shown(self.min_value))
        if self.max_value is not None and value > self.max_value:
            raise self._refusal("max_value", limit=self._shown(self.max_value))

    def _shown(self, limit: Decimal) -> str:
        places = self.decimal_places if limit != limit.to_integral_value() else 0
        return format_amount(limit, places)


class NumberField(AmountField):
    """A number that is not money (hours, degrees), typed as ``AmountField`` reads it, no kr."""

    currency = False

    def __init__(self, *, decimal_places: int, **kwargs: Any) -> None:
        super().__init__(decimal_places=decimal_places, **kwargs)


class LimitedFileField(forms.FileField):
    """An uploaded file of at most ``max_bytes()`` bytes; every upload of the product uses it.

    A larger file is refused with its real size and the limit. The size is the whole upload's
    as received: a file read only up to the limit before it is measured looks one byte over
    the limit, whatever its size (a 50 MB file was said to be 10,0 MB with a 10,0 MB limit).
    The limit is a callable so that a setting changed at run time (in tests) is the one used.
    """

    default_error_messages = {
        "too_large": _("The file is %(size)s; the limit is %(limit)s."),
    }

    def __init__(self, *, max_bytes: Callable[[], int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes

    def validate(self, value: Any) -> None:
        super().validate(value)
        limit = self.max_bytes()
        if value is not None and value.size > limit:
            raise ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"size": filesizeformat(value.size), "limit": filesizeformat(limit)},
            )


class TableFileField(LimitedFileField):
    """A spreadsheet to import (CSV or XLSX) of at most ``IMPORT_MAX_BYTES``: the allocation
    lists, the path events, the state's payments. An empty file reaches the parser, which
    explains it like every other bad file."""

    ACCEPTED = (
        ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    def __init__(self, *, testid: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_bytes", lambda: settings.IMPORT_MAX_BYTES)
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault(
            "widget", forms.FileInput(attrs={"accept": self.ACCEPTED, "data-testid": testid})
        )
        super().__init__(**kwargs)


class DocumentFileField(LimitedFileField):
    """A PDF or picture (``accepted`` content types of ``core.files``), at most
    DOCUMENT_MAX_BYTES, its kind read from its first bytes."""

    default_error_messages = {
        "kind": _("The file is not a PDF, PNG or JPEG file."),
        "image": _("The file is not a PNG or JPEG picture."),
    }

    def __init__(self, *, accepted: tuple[str, ...] = files.DOCUMENTS, **kwargs: Any) -> None:
        kwargs.setdefault("max_bytes", lambda: settings.DOCUMENT_MAX_BYTES)
        accept = ",".join(accepted)
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)
        self.accepted = accepted

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and files.sniff(value) not in self.accepted:
            code = "kind" if files.PDF in self.accepted else "image"
            raise ValidationError(self.error_messages[code], code=code)


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
