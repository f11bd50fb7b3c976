from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tillsammans.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from . import downloads, find, retention  # noqa: F401  (lists, search box, retention)
