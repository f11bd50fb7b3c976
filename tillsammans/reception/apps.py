from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "tillsammans.reception"
    label = "reception"
    verbose_name = _("Reception")

    def ready(self) -> None:
        from . import background, downloads, path_views, work  # noqa: F401  (job, lists, queue)
