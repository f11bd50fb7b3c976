from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddedvaluesConfig(AppConfig):
    name = "tillsammans.addedvalues"
    label = "addedvalues"
    verbose_name = _("Added values")

    def ready(self) -> None:
        from . import find  # noqa: F401  (its finder for the search box on every page)
