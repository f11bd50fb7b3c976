from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "tillsammans.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from . import work  # noqa: F401  (its items in the home page's work queue)
