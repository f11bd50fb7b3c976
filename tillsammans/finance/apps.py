from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "tillsammans.finance"
    label = "finance"
    verbose_name = _("Compensation")

    def ready(self) -> None:
        from tillsammans.housing import settled

        from .settled import reported_or_frozen

        settled.register(reported_or_frozen)

        from . import background, downloads, reminders, work  # noqa: F401  (the worker's work)
