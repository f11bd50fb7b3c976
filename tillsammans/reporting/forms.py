from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tillsammans.core import files
from tillsammans.core.forms import DateField, DocumentFileField, form_field
from tillsammans.partnership.models import Organisation

from .models import AnnualNarrative, AnnualReport

TEXT = forms.Textarea(attrs={"rows": 8})
SHORT = forms.Textarea(attrs={"rows": 3})


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = AnnualNarrative
        fields = ["headline_sv", "headline_en", "text_sv", "text_en"]
        widgets = {"text_sv": TEXT, "text_en": TEXT}


class ReportTextsForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = [
            "tagline_sv", "tagline_en", "intro_sv", "intro_en", "background_sv",
            "background_en", "common_goal_sv", "common_goal_en", "collaborators_sv",
            "collaborators_en", "funding_sv", "funding_en",
        ]  # fmt: skip
        widgets = {
            "intro_sv": TEXT, "intro_en": TEXT, "background_sv": TEXT, "background_en": TEXT,
            "common_goal_sv": SHORT, "common_goal_en": SHORT, "collaborators_sv": SHORT,
            "collaborators_en": SHORT, "funding_sv": SHORT, "funding_en": SHORT,
        }  # fmt: skip
        help_texts = {
            "collaborators_sv": _(
                "Organisations outside the agreement the partners worked with, for example "
                "Svenska kyrkan or Fryshuset."
            ),
            "funding_sv": _("EU projects, donations, the partners' own funds."),
        }


class QuoteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("In the section of"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("— the report as a whole —"),
    )  # fmt: skip
    text_sv = forms.CharField(label=_("Quote (Swedish)"), max_length=2000, widget=SHORT)
    text_en = forms.CharField(
        label=_("Quote (English)"), max_length=2000, widget=SHORT, required=False
    )
    said_by_sv = forms.CharField(
        label=_("Who said it (Swedish)"), max_length=200,
        help_text=_(
            "As the person agreed to be named, for example “Victoria, who lives at one of "
            "our sites”."
        ),
    )  # fmt: skip
    said_by_en = forms.CharField(label=_("Who said it (English)"), max_length=200, required=False)
    consent_on = DateField(label=_("The person agreed on"))
    consent = forms.BooleanField(
        label=_(
            "The person quoted has agreed to be quoted in the published report, in these "
            "words and with this name."
        )
    )

    def __init__(self, *args: Any, sections: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = sections


class PhotoForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("In the section of"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("— the report as a whole —"),
    )  # fmt: skip
    file = DocumentFileField(label=_("Picture (PNG or JPEG)"), accepted=files.IMAGES)
    caption_sv = forms.CharField(label=_("Caption (Swedish)"), max_length=300, required=False)
    caption_en = forms.CharField(label=_("Caption (English)"), max_length=300, required=False)
    credit = forms.CharField(label=_("Photo by"), max_length=200)
    consent = forms.BooleanField(
        label=_("Everyone who can be recognised in the picture has agreed to its publication.")
    )

    def __init__(self, *args: Any, sections: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = sections
