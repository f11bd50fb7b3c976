from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "tillsammans.placement"
    label = "placement"
    verbose_name = _("Placement")

    def ready(self) -> None:
        from . import background  # noqa: F401  (registers the worker's handler)
