import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import DateField, LanguageCodesField, form_field
from tillsammans.housing.models import Site
from tillsammans.partnership.models import Agreement

from .models import WEEKDAYS, Service
from .selectors import MAX_PASTED_LINES, LineOutcome, PastedLine, PastedList, pasted_names

MAX_PASTED_CHARS = 8000
# A preview stays good for the day: staff may record a morning's list in the afternoon.
PREVIEW_SECONDS = 24 * 3600
# The shape of a preview's token: a token of another shape is not read (a deploy between the
# preview and the confirmation asks for a new preview).
PREVIEW_VERSION = 1


@dataclass(frozen=True)
class Preview:
    """What a confirmation confirms: the list's token, the names as they were pasted, and the
    lines the preview showed (``PastedList.to_data``)."""

    batch: uuid.UUID
    names: str
    lines: dict[str, Any]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ServiceForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = LanguageCodesField(
        label=_("Languages spoken"), help_text=_("Language codes, e.g. uk, ru, sv, en.")
    )

    class Meta:
        model = Service
        fields = [
            "name_sv",
            "name_en",
            "name_uk",
            "name_ar",
            "description_sv",
            "description_en",
            "description_uk",
            "description_ar",
            "category",
            "agreement",
            "is_meeting_place",
            "site",
            "address",
            "weekdays",
            "starts_at",
            "ends_at",
            "schedule_sv",
            "schedule_en",
            "schedule_uk",
            "schedule_ar",
            "languages",
            "eligibility",
            "capacity",
            "limit_count",
            "limit_days",
            "limit_enforcement",
            "is_published",
            "notes_confidential",
        ]
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_uk": forms.Textarea(attrs={"rows": 3}),
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "schedule_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
        }

    def __init__(
        self, *args: Any, organisation_id: int, agreements: QuerySet[Agreement], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(organisation_id=organisation_id).order_by("name")
        form_field(self, "site", forms.ModelChoiceField).queryset = sites
        self.fields["site"].help_text = _("One of your sites, or an address below.")
        field = form_field(self, "agreement", forms.ModelChoiceField)
        field.queryset = agreements
        field.help_text = _("The agreement under which the service is offered.")
        if agreements.exists():
            field.required = True
            if self.instance.pk is None and len(agreements) == 1 and not self.is_bound:
                field.initial = agreements[0].pk
        else:
            del self.fields["agreement"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The service must end after it starts."))
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class DeliveryForm(forms.Form):
    """A session's attendance: the names pasted from the sign-up sheet, the date and a note.

    The names are first shown as a preview (each line matched, to choose, or not found); the
    preview carries a signed token of what it showed, and the deliveries are recorded only
    when the user confirms that preview (``LineChoiceForm`` holds the choices).
    """

    q = forms.CharField(
        label=_("Names"),
        max_length=MAX_PASTED_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 50}),
        help_text=_(
            "One person per line, in any spelling. Add the year of birth to tell namesakes "
            "apart (Iryna Melnyk 1985)."
        ),
    )
    on = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Record anyway"), required=False)
    preview = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, service: Service, recording: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # A preview of one service's form confirms nothing on another's.
        self.salt = f"addedvalues.bulk.{service.public_id}"
        self.fields["on"].initial = timezone.localdate()
        # The date matters when recording; a preview is shown whatever the date says.
        self.fields["on"].required = recording

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        names, _empty = pasted_names(text)
        if not names:
            raise forms.ValidationError(_("Write at least one name."))
        if len(names) > MAX_PASTED_LINES:
            raise forms.ValidationError(
                _("At most %(max)d names at a time; the list has %(count)d.")
                % {"max": MAX_PASTED_LINES, "count": len(names)}
            )
        return text

    def clean_preview(self) -> Preview | None:
        """The preview the user saw, or None when there is none or it is not ours or too old."""
        token = self.cleaned_data["preview"]
        try:
            data = signing.loads(token, salt=self.salt, max_age=PREVIEW_SECONDS)
            if data["version"] != PREVIEW_VERSION:
                return None
            return Preview(batch=uuid.UUID(data["batch"]), names=data["names"], lines=data["lines"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    def preview_token(self, names: str, pasted: PastedList, batch: uuid.UUID) -> str:
        data = {
            "version": PREVIEW_VERSION,
            "batch": str(batch),
            "names": _digest(names),
            "lines": pasted.to_data(),
        }
        return signing.dumps(data, salt=self.salt, compress=True)

    @staticmethod
    def previewed(preview: Preview | None, names: str) -> bool:
        """Whether the preview is of these names (the user may have changed the list since)."""
        return preview is not None and preview.names == _digest(names)


def _digest(names: str) -> str:
    return hashlib.sha256(names.encode()).hexdigest()


class LineChoiceForm(forms.Form):
    """The person chosen on each line of a preview that asks: one of its candidates, or
    nobody. A line that matched one person has that person chosen until the user says
    otherwise; a line with several candidates has nobody chosen until the user picks."""

    def __init__(self, *args: Any, pasted: PastedList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pasted = pasted
        for line in pasted.lines:
            if not line.asks:
                continue
            self.fields[self.field_name(line)] = forms.ChoiceField(
                label=line.text,
                choices=[("", _("Nobody"))]
                + [(row.public_id, row.name) for row in line.candidates],
                required=False,
                initial=(
                    line.candidates[0].public_id
                    if line.outcome == LineOutcome.MATCHED and line.candidates
                    else ""
                ),
                error_messages={
                    "invalid_choice": _(
                        "Line %(number)d: choose one of the persons shown, or nobody."
                    )
                    % {"number": line.number}
                },
            )

    @staticmethod
    def field_name(line: PastedLine) -> str:
        return f"line-{line.number}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, PastedLine] = {}
        for line in self.pasted.lines:
            value = data.get(self.field_name(line))
            if not value:
                continue
            if value in chosen:
                row = next(row for row in line.candidates if row.public_id == value)
                self.add_error(
                    None,
                    _(
                        "%(name)s is chosen on line %(first)d and on line %(second)d; "
                        "choose each person once."
                    )
                    % {"name": row.name, "first": chosen[value].number, "second": line.number},
                )
            chosen.setdefault(value, line)
        self.chosen_ids = list(chosen)
        return data

    def entries(self) -> list[tuple[PastedLine, str, str, Any]]:
        """Each line with its field's name, the value to show as chosen and its errors."""
        entries: list[tuple[PastedLine, str, str, Any]] = []
        for line in self.pasted.lines:
            name = self.field_name(line)
            if name not in self.fields:
                entries.append((line, "", "", None))
                continue
            bound = self[name]
            entries.append((line, name, bound.value() or "", bound.errors))
        return entries


class HouseholdDeliveryForm(forms.Form):
    """One service to one household, from the resident page.

    The services and persons come as lists the page has already loaded, so that the form
    costs no query of its own; ``cleaned_data`` holds the chosen objects.
    """

    service = forms.ChoiceField(label=_("Service"))
    person = forms.ChoiceField(label=_("Person"), required=False)
    on = DateField(label=_("Date"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Record anyway"), required=False)

    def __init__(
        self, *args: Any, services: Sequence[Service] = (), persons: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.services = {str(service.public_id): service for service in services}
        self.persons = {str(person.public_id): person for person in persons}
        offered = [(key, service.name()) for key, service in self.services.items()]
        form_field(self, "service", forms.ChoiceField).choices = offered
        whom = [("", _("The whole household"))] + [
            (key, f"{person} ({person.birth_date.year})") for key, person in self.persons.items()
        ]
        form_field(self, "person", forms.ChoiceField).choices = whom

    def clean_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]

    def clean_person(self) -> Any:
        return self.persons.get(self.cleaned_data["person"])


class HeadCountForm(forms.Form):
    on = DateField(label=_("Date"))
    count = forms.IntegerField(label=_("Visitors"), min_value=1, max_value=10_000)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
