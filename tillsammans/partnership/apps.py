from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "tillsammans.partnership"
    label = "partnership"
    verbose_name = _("Partnership")

    def ready(self) -> None:
        from . import background  # noqa: F401  (registers its periodic job)
