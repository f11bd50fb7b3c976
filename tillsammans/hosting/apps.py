from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostingConfig(AppConfig):
    name = "tillsammans.hosting"
    label = "hosting"
    verbose_name = _("Host homes")
