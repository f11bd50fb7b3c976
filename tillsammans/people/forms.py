from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import BirthDateField, DateField, form_field
from tillsammans.core.lib.geo import DISTRICTS
from tillsammans.core.lib.identity import normalise_swedish_id
from tillsammans.core.versions import VersionField, version_of

from .models import Household, PathEventKind, Person
from .selectors import number_holder, number_taken_message


class PersonChoiceField(forms.ModelChoiceField):
    """Persons offered by name and year of birth."""

    def label_from_instance(self, obj: Person) -> str:
        return obj.name_and_birth_year


class HouseholdNeedsForm(forms.ModelForm):
    # A choice, not free text: the placement's fit can only measure distances to districts
    # it knows the centre of.
    anchor_district = forms.ChoiceField(label=_("In district"), required=False)
    version = VersionField()  # no lost updates (core.versions)

    class Meta:
        model = Household
        fields = ["needs_accessible", "has_pets", "medical_priority", "anchor_kind",
                  "anchor_district"]  # fmt: skip
        help_texts = {
            "anchor_kind": _(
                "What the household should live near: a child's school, a job, relatives or a "
                "district it prefers. Only the district is kept, never an address."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = version_of(self.instance)
        choices = [("", "—"), *((name, name) for name in DISTRICTS)]
        current = self.instance.anchor_district if self.instance else ""
        if current and current not in DISTRICTS:
            choices.append((current, current))
        form_field(self, "anchor_district", forms.ChoiceField).choices = choices

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind, district = data.get("anchor_kind"), data.get("anchor_district")
        if kind and not district:
            self.add_error("anchor_district", _("Choose the district it is in."))
        if district and not kind:
            self.add_error("anchor_kind", _("Say what the household should live near."))
        return data


class PersonForm(forms.ModelForm):
    number_holder: Person | None = None  # set when the number typed is another person's

    swedish_id_number = forms.CharField(
        label=_("Swedish identity number"),
        required=False,
        max_length=13,
        help_text=_("Only if the person has one: YYYYMMDD-NNNN. Leave empty otherwise."),
    )
    version = VersionField()  # no lost updates (core.versions)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, for example uk, ru, en."),
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "first_name_latin", "last_name_latin",
                  "name_swedish", "birth_date", "sex", "languages", "migration_case_number",
                  "permit_card_number", "permit_valid_from", "permit_valid_until",
                  "swedish_id_number"]  # fmt: skip
        field_classes = {
            "birth_date": BirthDateField,
            "permit_valid_from": DateField,
            "permit_valid_until": DateField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])
            self.initial["version"] = version_of(self.instance)

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
        for code in codes:
            if not code.isalpha() or not 2 <= len(code) <= 3:
                raise forms.ValidationError(
                    _("“%(code)s” is not a language code such as uk or sv."), params={"code": code}
                )
        return codes

    def clean_swedish_id_number(self) -> str:
        raw = self.cleaned_data.get("swedish_id_number") or ""
        if not raw.strip():
            return ""
        number = normalise_swedish_id(raw, today=timezone.localdate())
        holder = number_holder(number, besides=self.instance.pk)
        if holder is not None:
            self.number_holder = holder  # for the view's audit (``audit_number_refused``)
            raise forms.ValidationError(number_taken_message(), code="number_taken")
        return number

    def clean_birth_date(self) -> object:
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("permit_valid_from"), data.get("permit_valid_until")
        if start and end and end < start:
            self.add_error("permit_valid_until", _("The permit cannot end before it starts."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, household, case number or identity number"), required=False
    )


class PathEventForm(forms.Form):
    # "Never arrived" is the coordinator's, recorded on the allocation for the whole household.
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[
            (k, label) for k, label in PathEventKind.choices if k != PathEventKind.NEVER_ARRIVED
        ],
    )
    on = DateField(label=_("Date"), help_text=_("The day of the decision, application or event."))
    valid_until = DateField(
        label=_("Valid until"), required=False, help_text=_("For a permit or an extension.")
    )
    identity_number = forms.CharField(
        label=_("Personal identity number"), required=False, max_length=13,
        help_text=_("For a registration: the number the tax agency gave (YYYYMMDD-NNNN)."),
    )  # fmt: skip
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=60,
        help_text=_("The decision's or the case's number, if there is one."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class PathCorrectionForm(forms.Form):
    withdraw = forms.BooleanField(
        label=_("It was recorded in error: withdraw it"), required=False,
        help_text=_("Say why in the note. Otherwise the event is replaced by the one below."),
    )  # fmt: skip
    on = DateField(label=_("Date"), required=False)
    valid_until = DateField(label=_("Valid until"), required=False)
    identity_number = forms.CharField(
        label=_("Personal identity number"), required=False, max_length=13
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("withdraw") and not data.get("on"):
            self.add_error("on", _("Give the corrected date, or withdraw the event."))
        return data


class LegalHoldForm(forms.Form):
    """A hold on a household's record (a complaint, an appeal, a court case): retention does
    not anonymise it while the hold stands. Setting one needs its reason."""

    legal_hold = forms.BooleanField(label=_("Keep this record (legal hold)"), required=False)
    reason = forms.CharField(
        label=_("Reason for the hold"), max_length=300, required=False,
        help_text=_("For example: an appeal against a decision, pending in court."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("legal_hold") and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the record is kept: the hold needs a reason."))
        return data
