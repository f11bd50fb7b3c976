from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinorsConfig(AppConfig):
    name = "tillsammans.minors"
    label = "minors"
    verbose_name = _("Unaccompanied minors")

    def ready(self) -> None:
        from . import work  # noqa: F401  (its items in the home page's work queue)
