"""Login throttling stops guessing without locking out an office behind one address."""

import pytest
from django.test import Client
from django.urls import reverse

PASSWORD = "correct horse battery"
PROXY = "10.0.0.2"  # the city's proxy, the only peer the site sees


@pytest.fixture
def behind_one_proxy(settings):
    # What TRUSTED_PROXY_COUNT=1 in the environment sets.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def _log_in(email: str, password: str, **headers: str) -> Client:
    client = Client(REMOTE_ADDR=headers.pop("remote_addr", PROXY))
    client.post(reverse("account_login"), {"login": email, "password": password}, headers=headers)
    return client


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_lets_a_user_behind_the_proxy_log_in_after_another_client_failed_ten_times(
    cast, behind_one_proxy
):
    # given
    for n in range(10):
        _log_in(f"made-up-{n}@example.org", "guess", **{"X-Forwarded-For": "198.51.100.7"})
    # when
    user = _log_in(cast.a_staff.email, PASSWORD, **{"X-Forwarded-For": "203.0.113.20"})
    # then
    assert _logged_in(user)


def test_it_lets_a_user_of_an_office_log_in_after_ten_failures_from_the_same_address(cast):
    # given: an office behind one public address, no proxy of the site's own
    for n in range(10):
        _log_in(f"made-up-{n}@example.org", "guess", remote_addr="192.0.2.10")
    # when
    user = _log_in(cast.a_staff.email, PASSWORD, remote_addr="192.0.2.10")
    # then
    assert _logged_in(user)


def test_it_throttles_repeated_failures_for_one_account_from_any_address(cast, behind_one_proxy):
    # given: five wrong passwords for one account, each from another client
    for n in range(5):
        _log_in(cast.a_staff.email, "guess", **{"X-Forwarded-For": f"198.51.100.{n + 1}"})
    # when: even the right password is refused for now
    user = _log_in(cast.a_staff.email, PASSWORD, **{"X-Forwarded-For": "203.0.113.20"})
    # then
    assert not _logged_in(user)
    response = user.post(
        reverse("account_login"),
        {"login": cast.a_staff.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.20"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_does_not_throttle_another_account_for_one_accounts_failures(cast, behind_one_proxy):
    # given
    for _attempt in range(5):
        _log_in(cast.a_staff.email, "guess", **{"X-Forwarded-For": "198.51.100.7"})
    # when
    other = _log_in(cast.a_admin.email, PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    # then
    assert _logged_in(other)


def test_it_counts_the_address_the_proxy_saw_not_one_the_client_wrote(
    cast, behind_one_proxy, settings
):
    # given: a client that writes its own X-Forwarded-For, a new value each time, hoping to
    # spread its guesses over many addresses; the proxy appends the address it really saw
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,5/5m/key"}
    for n in range(3):
        _log_in(f"made-up-{n}@example.org", "guess",
                **{"X-Forwarded-For": f"203.0.113.{n + 1}, 198.51.100.7"})  # fmt: skip
    # when
    spoofing = _log_in(cast.a_staff.email, PASSWORD,
                       **{"X-Forwarded-For": "203.0.113.99, 198.51.100.7"})  # fmt: skip
    victim = _log_in(cast.a_admin.email, PASSWORD, **{"X-Forwarded-For": "203.0.113.1"})
    # then: the guessing client is stopped whatever it writes; the address it wrote is not
    assert not _logged_in(spoofing)
    assert _logged_in(victim)


def test_it_refuses_a_request_that_did_not_pass_every_trusted_proxy(cast, settings):
    # given: two proxies are configured but the request carries only one address
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    # when
    response = Client(REMOTE_ADDR=PROXY).post(
        reverse("account_login"),
        {"login": cast.a_staff.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.20"},
    )
    # then: refused, not a 500
    assert response.status_code == 403
