from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "tillsammans.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import background  # noqa: F401  (registers the worker's handler)
