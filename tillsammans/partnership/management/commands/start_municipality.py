"""``manage.py start_municipality``: the one step of a new installation that is not done in
the product. On an empty database it creates the municipality and its first coordinator and
prints a link, valid for PASSWORD_RESET_TIMEOUT (three days by default), where the
coordinator chooses a password; at the first login they set up two-factor login. Everything
after that (organisations, users, sites) is done in the product."""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import translation

from tillsammans.core.errors import ServiceError
from tillsammans.partnership.services import municipality_start


class Command(BaseCommand):
    help = "Start an empty installation: the municipality and its first coordinator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='e.g. "Göteborgs Stad"')
        parser.add_argument("--short-name", default="", help='e.g. "Staden" (default: the name)')
        parser.add_argument(
            "--organisation-number", required=True, help="e.g. 212000-1355 (checked)"
        )
        parser.add_argument("--email", required=True, help="the first coordinator's address")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument(
            "--url",
            required=True,
            help="the address users open, e.g. https://tillsammans.goteborg.se",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"].rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError(
                "--url must be the address users open, e.g. https://tillsammans.example.se"
            )
        if not settings.PASSWORD_RESET_ENABLED:
            raise CommandError(
                "Password reset is switched off (PASSWORD_RESET_ENABLED=false), so the first "
                "coordinator could not choose a password: switch it on for this step."
            )
        with translation.override(None):  # the console speaks English, as load_demo does
            try:
                membership = municipality_start(
                    name=options["name"],
                    short_name=options["short_name"],
                    organisation_number=options["organisation_number"],
                    email=options["email"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                )
            except ServiceError as error:
                raise CommandError(str(error.message)) from error
        user = membership.user
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Started {membership.organisation.name} "
                f"({membership.organisation.organisation_number}) with its coordinator "
                f"{user.email}."
            )
        )
        self.stdout.write(
            "Send the coordinator this link to choose a password (it works once, for "
            f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days); two-factor login is set up "
            f"at the first login:\n\n  {url}{path}\n"
        )
