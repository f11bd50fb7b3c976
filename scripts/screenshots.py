#!/usr/bin/env python3
"""Screenshots of each role's main pages for docs/screenshots/, shown in the README.

Run against the demo (`make run` in another terminal, or any server with `load_demo`):

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]

Drives Debian's Chromium (/usr/bin/chromium) with Playwright, logs in as each demo login
below, and saves a laptop-wide picture of each page (and one phone-wide). The pages are
found by following the product's own links, so that the pictures show what a user reaches.
"""

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "tillsammans-demo-2022"  # noqa: S105 -- the demo's, printed in the README
DOMAIN = "demo.tillsammans.example"
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# (file, login, path, what the picture shows)
SHOTS = [
    ("coordinator-home", "samordnare", "/", "the coordinator's home: what waits, the beds"),
    ("coordinator-allocations", "samordnare", "/allocations/?status=pending", "allocations"),
    ("coordinator-search", "samordnare", "/search/?q=Shevchenko", "the search box's results"),
    ("coordinator-legal-path", "samordnare", "/legal-path/", "the legal path's work lists"),
    ("staff-home", "personal.skyddsvarnet", "/", "a partner's staff: their home"),
    ("staff-households", "personal.skyddsvarnet", "/households/", "the households they serve"),
    ("staff-referrals", "personal.skyddsvarnet", "/referrals/", "referrals to and from them"),
    ("steering-group-home", "styrgrupp", "/", "the steering group: figures only"),
    ("host-homes", "vardhem.raddningsmissionen", "/host-homes/", "Hjärterum's host homes"),
]
PHONE_SHOTS = [("phone-staff-home", "personal.skyddsvarnet", "/", "a phone, 375 px")]


def log_in(page: Page, login: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.locator("input[name=login]").fill(f"{login}@{DOMAIN}")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def shoot(browser: object, shots: list[tuple[str, str, str, str]], viewport: dict) -> None:
    for name, login, path, _what in shots:
        context = browser.new_context(viewport=viewport, locale="sv-SE")  # type: ignore[attr-defined]
        page = context.new_page()
        log_in(page, login)
        page.goto(f"{BASE}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
        print(f"{name}.png: {page.title()}")
        context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        shoot(browser, SHOTS, LAPTOP)
        shoot(browser, PHONE_SHOTS, PHONE)
        browser.close()


if __name__ == "__main__":
    main()
