"""Every form that takes money, hours or another decimal uses the one amount field (ADR 17)."""

import importlib
import pkgutil
import re

from django import forms
from django.apps import apps
from django.utils import translation

from tillsammans.core.forms import AmountField

# What a label says when its field holds money or hours.
AMOUNT_LABEL = re.compile(
    r"\bSEK\b|(?<!opening )\bhours?\b|\bmonthly rent\b|\bamount\b", re.IGNORECASE
)


def _product_forms() -> list[type[forms.BaseForm]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("tillsammans."):
            continue
        for module in pkgutil.iter_modules([config.path]):
            if module.name == "forms" or module.name.endswith("_views"):
                importlib.import_module(f"{config.name}.{module.name}")
    found, todo = [], [forms.BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("tillsammans."):
                found.append(subclass)
    return found


def test_it_reads_every_amount_and_decimal_in_the_product_with_the_one_field():
    # given every form of the product
    product_forms = _product_forms()
    assert len(product_forms) > 30
    # when their fields are read (labels in English, the msgid source)
    wrong = []
    with translation.override("en"):
        for form in product_forms:
            for name, field in form.base_fields.items():
                decimal = isinstance(field, forms.DecimalField | forms.FloatField)
                number_box = isinstance(field.widget, forms.NumberInput)
                amount = AMOUNT_LABEL.search(str(field.label or name))
                if decimal or (amount and (number_box or not isinstance(field, AmountField))):
                    wrong.append(f"{form.__module__}.{form.__name__}.{name}")
    # then none of them is a plain decimal, or an amount in a number box
    assert wrong == []
