from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostingConfig(AppConfig):
    name = "tillsammans.hosting"
    label = "hosting"
    verbose_name = _("Host homes")

    def ready(self) -> None:
        from tillsammans.people.retention import also_run

        from . import retention, work  # noqa: F401  (work: its items in the home's queue)

        also_run(retention.run)  # the hosts' rule, in the weekly run and the command
