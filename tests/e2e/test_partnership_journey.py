"""A partnership started from nothing in a real browser: the first-run command makes the
municipality and its coordinator, who chooses a password and sets up two-factor login,
registers two organisations, makes an agreement with both, invites a partner's admin (the
invitation read from the outbox), who accepts and adds a site; a second agreement; a third
organisation joins the first mid-period; a meeting with a decision; the annual report is
published and its PDF downloaded."""

import datetime as dt
import io
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.background import run_worker
from tillsammans.core.lib.identity import luhn_ok
from tillsammans.housing.models import Site
from tillsammans.partnership.models import Agreement, Decision, Organisation, Party

from .test_reception_flow import server_errors

pytestmark = [pytest.mark.e2e]

PASSWORD = "en-lång-och-hemlig-fras"


def organisation_number(prefix: str) -> str:
    """A valid number (the last digit a Luhn check digit) starting with nine given digits."""
    digit = next(d for d in range(10) if luhn_ok(prefix + str(d)))
    return f"{prefix[:6]}-{prefix[6:]}{digit}"


def fill(page, **fields):
    for name, value in fields.items():
        locator = page.locator(f"[name={name}]")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)


def submit(page):
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").last.click()


def test_a_partnership_is_started_run_and_reported_from_an_empty_database(
    page, browser, live_server, settings
):
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    errors = server_errors(page)
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    # given: the first-run command on an empty database
    out = io.StringIO()
    call_command(
        "start_municipality", "--name", "Göteborgs Stad", "--short-name", "Staden",
        "--organisation-number", "212000-1355", "--email", "samordnare@goteborg.example",
        "--first-name", "Sara", "--last-name", "Lind", "--url", live_server.url, stdout=out,
    )  # fmt: skip
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", out.getvalue())[0]
    # when the coordinator chooses a password from the link, logs in, and sets up two-factor
    page.goto(link)
    page.wait_for_load_state()
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action*='set-password'] button[name=action]").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("samordnare@goteborg.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"/accounts/(2fa/totp/activate|reauthenticate)/"))
    if "reauthenticate" in page.url:  # allauth asks for the password again before 2FA set-up
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form[action*='reauthenticate'] button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator("form[action$='/totp/activate/'] button[type=submit]").click()
    # then the coordinator is in, with two-factor login
    page.goto("/partnership/")
    expect(page.get_by_role("heading", name="Partnerskap")).to_be_visible()

    # when: two organisations are registered
    for name, short, number in (
        ("Skyddsvärnet Göteborg", "Skyddsvärnet", organisation_number("802002428")),
        ("Räddningsmissionen", "Räddningsmissionen", organisation_number("857209506")),
    ):
        page.goto("/partnership/organisations/new/")
        fill(page, name=name, short_name=short, organisation_number=number)
        submit(page)
        expect(page.get_by_role("heading", name=f"Användare i {name}")).to_be_visible()
    # and an agreement is made with both
    page.goto("/partnership/agreements/new/")
    fill(
        page, name="Boende med mervärden", starts_on=start.isoformat(), places="500",
        common_goal="Ett bra mottagande, goda boendemiljöer och en bra integration.",
    )  # fmt: skip
    submit(page)
    agreement = Agreement.objects.get(name="Boende med mervärden")
    for name in ("Skyddsvärnet Göteborg", "Räddningsmissionen"):
        page.get_by_role("link", name="En part ansluter").click()
        page.locator("select[name=organisation]").select_option(label=name)
        page.locator("input[name=joined_on]").fill(start.isoformat())
        submit(page)
    assert set(agreement.parties.values_list("name", flat=True)) == {
        "Göteborgs Stad", "Skyddsvärnet Göteborg", "Räddningsmissionen",
    }  # fmt: skip

    # when: the coordinator invites Skyddsvärnet's first admin by e-mail
    page.goto("/partnership/skyddsvarnet/users/")
    fill(
        page, email="admin@skyddsvarnet.example", first_name="Nils", last_name="Berg",
        role="partner_admin",
    )  # fmt: skip
    submit(page)
    expect(
        page.get_by_text("En inbjudan är e-postad till admin@skyddsvarnet.example")
    ).to_be_visible()
    invitation = mail.outbox[-1]
    accept = next(line for line in invitation.body.splitlines() if "/invitations/" in line)
    # and the admin accepts in a browser of their own and adds a site
    admin = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    admin.goto(accept.strip())
    admin.locator("input[name=password1]").fill(PASSWORD)
    admin.locator("input[name=password2]").fill(PASSWORD)
    with admin.expect_navigation():
        admin.locator("main form.stacked button[type=submit]").click()
    admin.goto("/sites/new/")
    admin.locator("input[name=name]").fill("Skyddsvärnet Hisingen")
    admin.locator("select[name=kind]").select_option("collective_self")
    admin.locator("input[name=opens_on]").fill(start.isoformat())
    with admin.expect_navigation():
        admin.locator("main form button[type=submit]").last.click()
    site = Site.objects.get(name="Skyddsvärnet Hisingen")
    assert (site.organisation.slug, site.agreement) == ("skyddsvarnet", agreement)
    admin.context.close()

    # when: a second agreement runs beside the first
    page.goto("/partnership/agreements/new/")
    fill(page, name="Mottagande av ensamkommande barn", starts_on=start.isoformat(), places="100")
    submit(page)
    # and a third organisation joins the first agreement mid-period
    page.goto("/partnership/organisations/new/")
    fill(
        page, name="Reningsborg", short_name="Reningsborg",
        organisation_number=organisation_number("857206231"),
    )  # fmt: skip
    submit(page)
    joined = min(start + dt.timedelta(days=60), today)
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="En part ansluter").click()
    page.locator("select[name=organisation]").select_option(label="Reningsborg")
    page.locator("input[name=joined_on]").fill(joined.isoformat())
    submit(page)
    assert (
        Party.objects.get(agreement=agreement, organisation__slug="reningsborg").joined_on == joined
    )
    expect(page.get_by_role("cell", name=joined.isoformat())).to_be_visible()

    # when: the steering group meets and decides
    page.goto(f"/partnership/agreements/{agreement.public_id}/groups/new/")
    page.locator("select[name=kind]").select_option("steering")
    submit(page)
    page.get_by_role("link", name="Registrera ett möte").click()
    fill(page, held_on=today.isoformat(), agenda="1. Vinterkläder")
    submit(page)
    page.locator("textarea[name=text]").fill("Samla in vinterkläder till alla boenden")
    page.locator("select[name=owner]").select_option(label="Skyddsvärnet Göteborg")
    page.get_by_role("button", name="Registrera beslutet").click()
    page.wait_for_load_state()
    assert Decision.objects.get().owner.slug == "skyddsvarnet"

    # when: the annual report of this year is written, published, and its PDF downloaded
    page.goto(f"/reports/annual/{agreement.public_id}/{today.year}/edit/")
    page.locator("textarea[name=intro_sv]").fill("Vid kris sluter civilsamhället upp.")
    page.locator("main form.stacked button[type=submit]").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Publicera …").click()
    page.get_by_role("button", name="Publicera").click()
    # the worker publishes it; the job's page follows it and then leads to the edition
    page.wait_for_url(re.compile(r"/background/"))
    run_worker()
    page.get_by_test_id("job-result").click()
    page.wait_for_url(re.compile(r"/editions/1/sv/$"))
    expect(page.get_by_text("Vid kris sluter civilsamhället upp.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    pdf = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in pdf.pages)
    # then the published report names its parties, the newcomer included
    for name in ("Göteborgs Stad", "Skyddsvärnet Göteborg", "Räddningsmissionen", "Reningsborg"):
        assert name in text
    assert "Vid kris sluter civilsamhället upp." in text
    assert Organisation.objects.count() == 4
    assert errors == []
