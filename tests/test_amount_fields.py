"""Every form that takes money, hours or another decimal uses the one amount field (ADR 17)."""

import re

from django import forms
from django.utils import translation

from tests.product_forms import product_forms
from tillsammans.core.forms import AmountField

# What a label says when its field holds money or hours.
AMOUNT_LABEL = re.compile(
    r"\bSEK\b|(?<!opening )\bhours?\b|\bmonthly rent\b|\bamount\b", re.IGNORECASE
)


def test_it_reads_every_amount_and_decimal_in_the_product_with_the_one_field():
    # given every form of the product
    every_form = product_forms()
    assert len(every_form) > 30
    # when their fields are read (labels in English, the msgid source)
    wrong = []
    with translation.override("en"):
        for form in every_form:
            for name, field in form.base_fields.items():
                decimal = isinstance(field, forms.DecimalField | forms.FloatField)
                number_box = isinstance(field.widget, forms.NumberInput)
                amount = AMOUNT_LABEL.search(str(field.label or name))
                if decimal or (amount and (number_box or not isinstance(field, AmountField))):
                    wrong.append(f"{form.__module__}.{form.__name__}.{name}")
    # then none of them is a plain decimal, or an amount in a number box
    assert wrong == []
