from django import forms

from .models import AnnualNarrative


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = AnnualNarrative
        fields = [
            "headline_sv",
            "headline_en",
            "text_sv",
            "text_en",
            "quote_sv",
            "quote_en",
            "quote_by_sv",
            "quote_by_en",
        ]
        widgets = {
            "text_sv": forms.Textarea(attrs={"rows": 8}),
            "text_en": forms.Textarea(attrs={"rows": 8}),
            "quote_sv": forms.Textarea(attrs={"rows": 3}),
            "quote_en": forms.Textarea(attrs={"rows": 3}),
        }
