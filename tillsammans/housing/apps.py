from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "tillsammans.housing"
    label = "housing"
    verbose_name = _("Housing")

    def ready(self) -> None:
        from . import downloads, find  # noqa: F401  (its list to download, its finder)
