import logging
import socket

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tillsammans.core.accounts import MAIL_NOT_SENT
from tillsammans.settings import parse_email_url

RESET = "/accounts/password/reset/"


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_mails_a_reset_link_to_a_known_address(cast, mailoutbox):
    # when
    response = Client().post(RESET, {"email": cast.a_staff.email})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert [mail.to for mail in mailoutbox] == [[cast.a_staff.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_it_answers_an_unknown_address_with_the_same_page_and_no_link(cast, mailoutbox):
    # given
    known = Client().post(RESET, {"email": cast.a_staff.email})
    # when
    unknown = Client().post(RESET, {"email": "nobody@example.org"})
    # then: nothing on the page tells whether the address has an account
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    to_unknown = [mail for mail in mailoutbox if mail.to == ["nobody@example.org"]]
    assert len(to_unknown) == 1
    assert "/accounts/password/reset/key/" not in to_unknown[0].body
    assert "signup" not in to_unknown[0].body


def test_it_says_so_when_the_mail_server_cannot_be_reached(cast, settings, caplog):
    # given
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 5},
        }
    }
    # when
    with caplog.at_level(logging.ERROR, logger="tillsammans.core.allauth_adapter"):
        response = Client().post(RESET, {"email": cast.a_staff.email})
    # then
    assert response.status_code == 200
    with translation.override("sv"):
        assert escape(str(MAIL_NOT_SENT)) in response.content.decode()
    assert "could not be sent" in caplog.text
    assert cast.a_staff.email not in caplog.text


def test_it_says_the_same_for_an_unknown_address_when_the_mail_server_is_down(cast, settings):
    # given
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 5},
        }
    }
    # when
    known = Client().post(RESET, {"email": cast.a_staff.email})
    unknown = Client().post(RESET, {"email": "nobody@example.org"})
    # then
    assert unknown.status_code == known.status_code == 200
    assert list(unknown.context["form"].non_field_errors()) == [str(MAIL_NOT_SENT)]
    assert list(known.context["form"].non_field_errors()) == [str(MAIL_NOT_SENT)]


def test_it_offers_the_reset_on_the_login_page(db):
    # when
    response = Client().get(reverse("account_login"))
    # then
    assert f'href="{RESET}"' in response.content.decode()


def test_it_switches_the_reset_off_where_only_single_sign_on_is_used(cast, settings, mailoutbox):
    # given
    settings.PASSWORD_RESET_ENABLED = False
    client = Client()
    # when
    form = client.get(RESET)
    sent = client.post(RESET, {"email": cast.a_staff.email})
    done = client.get(reverse("account_reset_password_done"))
    login = client.get(reverse("account_login"))
    # then
    assert (form.status_code, sent.status_code, done.status_code) == (404, 404, 404)
    assert mailoutbox == []
    assert login.status_code == 200
    assert RESET not in login.content.decode()


@pytest.mark.parametrize(
    ("url", "options"),
    [
        (
            "smtp://mailer:p%40ss%3Aword@smtp.example.org:587?tls=true",
            {"host": "smtp.example.org", "port": 587, "username": "mailer",
             "password": "p@ss:word", "use_tls": True, "use_ssl": False},
        ),
        (
            "smtps://mailer:secret@smtp.example.org",
            {"host": "smtp.example.org", "port": 465, "username": "mailer",
             "password": "secret", "use_tls": False, "use_ssl": True},
        ),
        (
            "smtp://relay.example.org",
            {"host": "relay.example.org", "port": 25, "username": "", "password": "",
             "use_tls": False, "use_ssl": False},
        ),
    ],
)  # fmt: skip
def test_it_reads_a_mail_server_from_the_mail_url(url, options):
    # when
    mailer = parse_email_url(url)
    # then
    assert mailer == {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


def test_it_reads_the_console_from_the_mail_url():
    assert parse_email_url("console://") == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize(
    "url",
    [
        "",
        "smtp.example.org:587",
        "smpt://smtp.example.org",
        "smtp://",
        "smtp://smtp.example.org:port",
        "smtp://smtp.example.org:587?tls=maybe",
        "smtp://smtp.example.org:587?tls=",
        "smtp://smtp.example.org:587?starttls=true",
        "smtp://smtp.example.org:587?tls=true&tls=false",
        "smtps://smtp.example.org?tls=true",
        "smtp://smtp.example.org/inbox",
        "console://smtp.example.org",
    ],
)
def test_it_refuses_a_mail_url_it_does_not_understand(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        parse_email_url(url)
