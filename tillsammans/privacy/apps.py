from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "tillsammans.privacy"
    label = "privacy"
    verbose_name = _("The person's rights")

    def ready(self) -> None:
        from . import background  # noqa: F401  (registers the register extract's handler)
