"""Every form class of the product, for tests that hold a rule over all of them."""

import importlib
import pkgutil

from django import forms
from django.apps import apps


def product_forms() -> list[type[forms.BaseForm]]:
    """The form classes defined in the product's apps (forms.py and *_views.py modules)."""
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
