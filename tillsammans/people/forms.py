from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import DateInput
from tillsammans.core.lib.identity import normalise_swedish_id

from .models import Household, Person


class HouseholdNeedsForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["needs_accessible", "has_pets", "medical_priority", "preferred_district"]


class PersonForm(forms.ModelForm):
    swedish_id_number = forms.CharField(
        label=_("Swedish identity number"),
        required=False,
        max_length=13,
        help_text=_("Only if the person has one: YYYYMMDD-NNNN. Leave empty otherwise."),
    )
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
        widgets = {
            "birth_date": DateInput(),
            "permit_valid_from": DateInput(),
            "permit_valid_until": DateInput(),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance and self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

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
        return normalise_swedish_id(raw, today=timezone.localdate())

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
    q = forms.CharField(label=_("Search by name, case number or identity number"), required=False)
