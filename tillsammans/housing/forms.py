from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tillsammans.core.forms import DateField, LanguageCodesField, NumberField, form_field
from tillsammans.partnership.models import Agreement, Organisation

from .models import HomeUse, Licence, Site, Unit
from .services import MAX_BEDS_PER_UNIT


def _degrees(name: str, limit: int, example: str) -> NumberField:
    model_field = Site._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # a column, not a relation
    return NumberField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        required=False,
        decimal_places=5,
        min_value=-limit,
        max_value=limit,
        example=example,
    )


class SiteForm(forms.ModelForm):
    latitude = _degrees("latitude", 90, "57,70887")
    longitude = _degrees("longitude", 180, "11,97456")

    class Meta:
        model = Site
        fields = ["name", "kind", "agreement", "address", "postcode", "city", "district",
                  "latitude", "longitude", "opens_on", "closes_on"]  # fmt: skip
        field_classes = {"opens_on": DateField, "closes_on": DateField}
        help_texts = {"agreement": _("The agreement whose places the site offers.")}

    def __init__(self, *args: Any, agreements: QuerySet[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "agreement", forms.ModelChoiceField)
        field.queryset = agreements
        if agreements.exists():  # an organisation of a partnership offers places under it
            field.required = True
            if self.instance.pk is None and len(agreements) == 1 and not self.is_bound:
                field.initial = agreements[0].pk
        else:
            del self.fields["agreement"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A site cannot close before it opens."))
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors.keys() & {
            "latitude",
            "longitude",
        }:
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Give both the latitude and the longitude, or neither."),
            )
        return data


class UnitForm(forms.ModelForm):
    beds = forms.IntegerField(label=_("Beds"), min_value=0, max_value=MAX_BEDS_PER_UNIT)
    blocked_beds = forms.IntegerField(
        label=_("Blocked beds"), min_value=0, max_value=MAX_BEDS_PER_UNIT, initial=0
    )
    beds_from = DateField(
        required=False,
        label=_("Number of beds from"),
        help_text=_("The day the unit has this number of beds. A month already reported or "
                    "paid keeps the beds it had."),
    )  # fmt: skip
    host_languages = LanguageCodesField(
        label=_("Host's languages"),
        help_text=_("For a host home: the languages the hosts speak, e.g. sv, en, uk."),
    )

    class Meta:
        model = Unit
        fields = ["name", "max_households", "accessible", "pets_allowed", "children_ok",
                  "food_service", "host_languages"]  # fmt: skip

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        beds, blocked = data.get("beds"), data.get("blocked_beds")
        if beds is not None and blocked is not None and blocked > beds:
            raise ValidationError(_("There cannot be more blocked beds than beds."))
        return data


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["number", "holder", "min_age", "max_age", "sex", "places", "valid_from",
                  "valid_to"]  # fmt: skip
        field_classes = {"valid_from": DateField, "valid_to": DateField}
        help_texts = {
            "number": _("As the inspectorate (IVO) wrote it, or the social services' decision "
                        "approving a family home."),
            "holder": _("The organisation that runs the home, or the city when the home is "
                        "run as its contractor."),
        }  # fmt: skip

    def __init__(self, *args: Any, holders: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "holder", forms.ModelChoiceField).queryset = holders

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        youngest, oldest = data.get("min_age"), data.get("max_age")
        if isinstance(youngest, int) and isinstance(oldest, int) and youngest > oldest:
            self.add_error("max_age", _("The oldest age cannot be below the youngest."))
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("A licence cannot end before it starts."))
        return data


class SiteUseForm(forms.Form):
    use = forms.ChoiceField(label=_("The home is"), choices=HomeUse.choices)
    valid_from = DateField(label=_("From"))
