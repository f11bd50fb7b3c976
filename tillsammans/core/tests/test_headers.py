import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import user_of

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([^']+)'")


def _client(cast, role: str) -> Client:
    client = Client()
    client.force_login(user_of(cast, role))
    return client


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {directive[0]: directive[1:] for directive in directives}


def test_it_tells_the_browser_not_to_keep_a_page_with_a_person(cast):
    # when
    response = _client(cast, "a_staff").get(
        reverse("household_detail", args=[cast.household_a.public_id])
    )
    # then
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_tells_the_browser_not_to_keep_an_api_answer_with_a_person(cast):
    # when
    response = _client(cast, "a_staff").get(
        reverse("api:get_household", kwargs={"household_id": cast.household_a.public_id})
    )
    # then
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_leaves_the_public_health_check_cacheable(db):
    # when
    response = Client().get(reverse("healthz"))
    # then
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_allows_scripts_and_styles_only_from_the_site(cast):
    # when
    response = _client(cast, "a_staff").get(reverse("dashboard"))
    # then
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_it_sends_the_policy_with_pages_only_not_with_a_pdf(cast):
    # given an agreement whose month the PDF is of
    from tests.access_rows.finance import month

    month(cast)
    # when
    page = _client(cast, "a_staff").get(reverse("finance_home"))
    pdf = _client(cast, "coordinator").get(reverse("month_pdf", args=[2022, 9]))
    # then: a PDF shown inline is left to the browser's own viewer
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert pdf["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in pdf


def test_it_gives_every_script_of_a_page_the_nonce_of_its_policy(cast):
    # when
    response = _client(cast, "a_staff").get(reverse("household_list"))
    # then: htmx and the site's own script, both files, both with this answer's nonce
    (nonce,) = NONCE.findall(" ".join(_policy(response)["script-src"]))
    scripts = SCRIPT.findall(response.content.decode())
    assert len(scripts) >= 2
    for attributes in scripts:
        assert 'src="/static/' in attributes
        assert f'nonce="{nonce}"' in attributes


def test_it_serves_the_api_documentation_from_the_site_itself(cast):
    # when
    response = _client(cast, "a_staff").get(reverse("api:openapi-view"))
    # then: Swagger UI's files under the policy's 'self', none from a CDN
    page = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(source.startswith("/static/") for source in sources), sources
    assert not re.search(r"<script>\s*[^<\s]", page)


# Rendered only into PDFs by WeasyPrint, never served as a page.
PDF_TEMPLATES = {
    "annual_pdf.html",
    "cv.html",
    "report_pdf.html",
    "month_pdf.html",
    "pdf_style.html",
    "extract_pdf.html",
}
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "a style element": re.compile(r"<style\b"),
    "a style attribute": re.compile(r"\sstyle="),
    "an event handler attribute": re.compile(r"\son[a-z]+="),
    "a javascript: link": re.compile(r"javascript:", re.IGNORECASE),
}


def test_it_has_nothing_inline_that_the_policy_would_block_in_any_page_template():
    # given
    root = Path(settings.BASE_DIR) / "tillsammans"
    templates = [
        path for path in root.glob("**/templates/**/*.html") if path.name not in PDF_TEMPLATES
    ]
    # when
    found = [
        f"{path.relative_to(root)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    # then
    assert templates
    assert not found


def test_it_sends_hsts_and_redirects_to_https_when_switched_on(db, settings):
    # given: TLS ends at the proxy, which says so in X-Forwarded-Proto
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    # when
    plain = client.get(reverse("account_login"))
    secure = client.get(reverse("account_login"), headers={"X-Forwarded-Proto": "https"})
    probe = client.get(reverse("healthz"))
    # then
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert probe.status_code == 200


def test_it_marks_the_session_and_csrf_cookies_secure_with_debug_off(cast):
    # given
    client = Client()
    login_page = client.get(reverse("account_login"))
    # when
    logged_in = client.post(
        reverse("account_login"), {"login": cast.a_staff.email, "password": "correct horse battery"}
    )
    # then
    assert logged_in.status_code == 302
    assert login_page.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    assert logged_in.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


def test_it_leaves_a_page_the_view_declares_public_cacheable_for_a_signed_in_user(cast):
    # when: the residents' services page, the same for everyone
    response = _client(cast, "a_staff").get(reverse("public_services"))
    # then
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
