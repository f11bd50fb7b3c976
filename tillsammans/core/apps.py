from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tillsammans.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import exports, schedule, work  # noqa: F401  (core's background work, queue)
