"""Starting an installation from nothing: the municipality and its first coordinator."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from tillsammans.core.lib import orgnumber
from tillsammans.core.models import AuditEvent, User
from tillsammans.partnership.models import Membership, Organisation, Role

ARGS = [
    "--name", "Göteborgs Stad", "--short-name", "Staden", "--organisation-number", "2120001355",
    "--email", "karin.lund@goteborg.example", "--first-name", "Karin", "--last-name", "Lund",
    "--url", "https://tillsammans.goteborg.example/",
]  # fmt: skip


def start(*extra: str) -> str:
    out = io.StringIO()
    call_command("start_municipality", *ARGS, *extra, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("212000-1355", "212000-1355"),
        ("2120001355", "212000-1355"),
        ("16212000-1355", "212000-1355"),
        (" 802002 4280 ", "802002-4280"),
    ],
)
def test_it_understands_an_organisation_number_as_it_is_typed(typed, stored):
    assert orgnumber.normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("212000-1354", "Organisationsnumrets kontrollsiffra stämmer inte"),
        ("121212-1212", "personnummer"),
        ("21200-1355", "tio siffror"),
        ("٢١٢٠٠٠١٣٥٥", "tio siffror"),
    ],
)
def test_it_refuses_a_wrong_organisation_number_in_words(typed, message):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        orgnumber.normalise(typed)
    assert message in error.value.messages[0]


def test_it_starts_an_empty_installation_with_a_coordinator_who_chooses_a_password(db, client):
    # when
    out = start()
    # then: the municipality, its coordinator without a password, and a link to choose one
    city = Organisation.objects.get()
    assert (city.name, city.organisation_number, city.is_municipality) == (
        "Göteborgs Stad", "212000-1355", True,
    )  # fmt: skip
    membership = Membership.objects.select_related("user").get()
    assert membership.role == Role.COORDINATOR and membership.organisation == city
    assert not membership.user.has_usable_password()
    link = re.search(r"https://tillsammans\.goteborg\.example(/\S+)", out)
    assert link is not None
    # and the link lets the coordinator choose a password and log in with it
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    chosen = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link.group(1),
        {
            "password1": "en lång och ovanlig fras 2026",
            "password2": "en lång och ovanlig fras 2026",
        },
    )
    assert chosen.status_code == 302
    user = User.objects.get(email="karin.lund@goteborg.example")
    assert user.check_password("en lång och ovanlig fras 2026")
    # and both creations are in the audit log
    assert AuditEvent.objects.filter(
        summary="municipality Göteborgs Stad started, organisation number 212000-1355"
    ).exists()
    assert AuditEvent.objects.filter(summary__startswith="user karin.lund@").exists()


def test_it_refuses_a_second_start_and_changes_nothing(db):
    # given
    start()
    # when
    with pytest.raises(CommandError, match="already has organisations"):
        call_command(
            "start_municipality", *[a.replace("Karin", "Per") for a in ARGS], stdout=io.StringIO()
        )
    # then
    assert Organisation.objects.count() == 1 and User.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--organisation-number", "212000-1354"), "check digit is wrong"),
        (("--email", "not an address"), "e-mail address"),
        (("--url", "tillsammans.goteborg.example"), "--url"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_writes_nothing(db, change, message):
    # given
    args = list(ARGS)
    args[args.index(change[0]) + 1] = change[1]
    # when
    with pytest.raises(CommandError, match=message):
        call_command("start_municipality", *args, stdout=io.StringIO())
    # then
    assert not Organisation.objects.exists() and not User.objects.exists()


@override_settings(PASSWORD_RESET_ENABLED=False)
def test_it_says_why_it_cannot_start_when_password_reset_is_off(db):
    with pytest.raises(CommandError, match="PASSWORD_RESET_ENABLED"):
        start()
    assert not Organisation.objects.exists()
