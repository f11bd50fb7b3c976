"""One settings file, driven by the environment.

Every value comes from an environment variable (or ``NAME_FILE`` for secrets); a bad value
raises ``ImproperlyConfigured`` at start-up instead of misbehaving later.
"""

import os
import re
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """A string from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


_HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")


def env_header(name: str) -> str:
    """An HTTP header name such as ``X-Real-IP``, or "" when unset."""
    value = env_str(name, "").strip()
    if value and not _HEADER_NAME.fullmatch(value):
        raise ImproperlyConfigured(f"{name} must be an HTTP header name, not {value!r}.")
    return value


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto: https`` as Django's ``("HTTP_X_FORWARDED_PROTO", "https")``."""
    raw = env_str(name, "").strip()
    if not raw:
        return None
    header, _sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not _HEADER_NAME.fullmatch(header) or not value:
        raise ImproperlyConfigured(
            f"{name} must look like 'X-Forwarded-Proto: https', not {raw!r}."
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


def env_address(name: str, default: str) -> str:
    """A mail address, optionally with a display name: ``Tillsammans <noreply@example.org>``."""
    raw = env_str(name, default).strip()
    if not raw:
        raise ImproperlyConfigured(
            f"{name} is required when mail goes through a mail server: the address mail "
            "comes from, e.g. 'Tillsammans <noreply@example.org>'."
        )
    _display, address = parseaddr(raw)
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ImproperlyConfigured(f"{name} must be a mail address, not {raw!r}.") from exc
    return raw


_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def parse_email_url(url: str) -> dict[str, Any]:
    """The default mailer (Django's MAILERS) from ``smtp://user:pass@host:587?tls=true``,
    ``smtps://user:pass@host`` (TLS from the first byte, port 465) or ``console://``.

    User and password are percent-encoded in the URL (``@`` as ``%40``). Anything not
    understood is refused rather than ignored, so a typo cannot silently send in clear text.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "console":
        if parts.netloc or parts.path or parts.query:
            raise ImproperlyConfigured("EMAIL_URL console:// takes nothing after the scheme.")
        return {"BACKEND": _CONSOLE_BACKEND}
    if scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtps:// or console://"
            f" (not {scheme + '://' if scheme else 'nothing'})."
        )
    try:
        port = parts.port
        options = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid mail URL: {exc}") from exc
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no mail server (smtp://host:port).")
    if parts.path not in ("", "/") or parts.fragment:
        raise ImproperlyConfigured("EMAIL_URL takes no path: smtp://user:pass@host:port?tls=true")
    unknown = set(options) - {"tls"}
    if unknown or any(len(values) != 1 for values in options.values()):
        raise ImproperlyConfigured(
            f"EMAIL_URL understands only the option tls=true|false, not {sorted(options)}."
        )
    tls_raw = options.get("tls", ["false"])[0].strip().lower()
    if tls_raw not in (_TRUE | _FALSE) - {""}:
        raise ImproperlyConfigured(f"EMAIL_URL: tls must be true or false, not {tls_raw!r}.")
    use_tls = tls_raw in _TRUE
    use_ssl = scheme == "smtps"
    if use_ssl and use_tls:
        raise ImproperlyConfigured(
            "EMAIL_URL: smtps:// is already encrypted; tls=true (STARTTLS) is for smtp://."
        )
    return {
        "BACKEND": _SMTP_BACKEND,
        "OPTIONS": {
            "host": parts.hostname,
            "port": port or (465 if use_ssl else 587 if use_tls else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
        },
    }


DEBUG = env_bool("DEBUG", False)
# The keys and defaults below that are committed to this repository are for local runs and
# tests only (DEBUG, or ALLOW_DEV_SECRET=true which the Makefile sets); production must set
# its own, or the start is refused.
_DEV_DEFAULTS_ALLOWED = DEBUG or env_bool("ALLOW_DEV_SECRET", False)
_DEV_SECRET = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
if SECRET_KEY == _DEV_SECRET and not _DEV_DEFAULTS_ALLOWED:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (or ALLOW_DEV_SECRET=true for local runs)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000")

# Fernet key(s) for the few special-category fields; the first encrypts, all decrypt,
# so a key can be rotated by prepending a new one. A key file may hold one key a line.
_DEV_FIELD_KEY = "9pAcaBVTz0LEqHClbRCAmoQK1H3nr8Q1jLFJ2T_9x2U="
FIELD_ENCRYPTION_KEYS = re.split(r"[\s,]+", env_str("FIELD_ENCRYPTION_KEYS", "").strip())
FIELD_ENCRYPTION_KEYS = [key for key in FIELD_ENCRYPTION_KEYS if key]
if not FIELD_ENCRYPTION_KEYS and _DEV_DEFAULTS_ALLOWED:
    FIELD_ENCRYPTION_KEYS = [_DEV_FIELD_KEY]
if not FIELD_ENCRYPTION_KEYS or (
    FIELD_ENCRYPTION_KEYS[0] == _DEV_FIELD_KEY and not _DEV_DEFAULTS_ALLOWED
):
    # The development key is public: it may stay after a new key, to read values written
    # with it, but never encrypt anything in production.
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS (or FIELD_ENCRYPTION_KEYS_FILE) must name a key of this "
        "installation when DEBUG is off (or ALLOW_DEV_SECRET=true for local runs). Make one "
        "with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'"
    )
for _position, _key in enumerate(FIELD_ENCRYPTION_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS: key {_position} is not a Fernet key (32 bytes in "
            "URL-safe base64, 44 characters)."
        ) from exc

# The Django admin bypasses the audited services, so it is off unless asked for.
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", False)

# Coordinators place everyone: TOTP is required for them unless switched off (demo only).
MFA_REQUIRED_FOR_COORDINATORS = env_bool("MFA_REQUIRED_FOR_COORDINATORS", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "django_tasks_db",
    # Only for its templates and static files: /api/docs then serves Swagger UI from this
    # site instead of a CDN, which the Content-Security-Policy would block.
    "ninja",
    "tillsammans.core",
    "tillsammans.partnership",
    "tillsammans.housing",
    "tillsammans.people",
    "tillsammans.reception",
    "tillsammans.placement",
    "tillsammans.reporting",
    "tillsammans.addedvalues",
    "tillsammans.referrals",
    "tillsammans.coupons",
    "tillsammans.training",
    "tillsammans.finance",
    "tillsammans.hosting",
    "tillsammans.jobs",
    "tillsammans.minors",
    "tillsammans.privacy",
]

MIDDLEWARE = [
    "tillsammans.core.requests.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tillsammans.core.middleware.PagePolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tillsammans.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tillsammans.core.middleware.NoStoreWhenSignedInMiddleware",
    "tillsammans.core.middleware.PasswordResetSwitchMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tillsammans.core.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "tillsammans.urls"
WSGI_APPLICATION = "tillsammans.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tillsammans" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "tillsammans.core.context_processors.membership",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'tillsammans.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, 0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
    # instead of failing with "database is locked" when one upgrades a read lock.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # The JIT compiles plans whose estimated cost passes a threshold: at national scale the
    # dashboard's aggregates cross it and spend a second compiling a 50 ms query.
    _db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "tillsammans.core.allauth_adapter.NoSignupAccountAdapter"
ACCOUNT_FORMS = {"login": "tillsammans.core.accounts.LoginForm"}
ACCOUNT_LOGOUT_ON_GET = False
# Throttling (ADR 20): an office shares one public address, so the limits per address are
# generous and only stop a flood; the tight limits are per account, where guessing happens.
# A successful password reset clears an account's failed logins.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "60/5m/ip,5/5m/key,20/h/key",
}
# The client address allauth throttles by: REMOTE_ADDR, unless the site sits behind proxies
# of its own. TRUSTED_PROXY_COUNT proxies each append to X-Forwarded-For, so the address
# used is that many entries from the right: what the outermost trusted proxy saw, never a
# value the client wrote itself. A proxy that sets one header to the client's address
# instead (X-Real-IP) is named by TRUSTED_CLIENT_IP_HEADER. The site must then be reachable
# only through that proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_header("TRUSTED_CLIENT_IP_HEADER") or None
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and ALLAUTH_TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured("Set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both.")
if (ALLAUTH_TRUSTED_CLIENT_IP_HEADER or "").lower() == "x-forwarded-for":
    raise ImproperlyConfigured(
        "X-Forwarded-For holds a list the client can start: set TRUSTED_PROXY_COUNT to the "
        "number of proxies in front of the site instead of TRUSTED_CLIENT_IP_HEADER."
    )
# Where only single sign-on is used, nobody should reset a password by mail: the form and
# its links answer 404 and the login page does not offer it.
PASSWORD_RESET_ENABLED = env_bool("PASSWORD_RESET_ENABLED", True)
SOCIALACCOUNT_ADAPTER = "tillsammans.core.allauth_adapter.NoSignupSocialAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tillsammans"
_oidc_client = os.environ.get("OIDC_CLIENT_ID")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": (
            [
                {
                    "provider_id": "municipality",
                    "name": env_str("OIDC_NAME", "Single sign-on"),
                    "client_id": _oidc_client,
                    "secret": env_str("OIDC_CLIENT_SECRET"),
                    "settings": {"server_url": env_str("OIDC_SERVER_URL")},
                }
            ]
            if _oidc_client
            else []
        )
    }
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English")), ("uk", _("Ukrainian"))]
LOCALE_PATHS = [BASE_DIR / "tillsammans" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "tillsammans" / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Derived figures (the dashboard's capacity) are cached and dropped on every write. A local
# cache is right for one process; several processes should share one through CACHE_URL
# (redis://...), or each may show figures up to a minute old after another's write.
_cache_url = env_str("CACHE_URL", "")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// URL.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

WHITENOISE_USE_FINDERS = DEBUG

# Background work (ADR 35): tasks wait in the database for ``manage.py worker``.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A placement proposal about this many households or more is made by the worker.
PLACEMENT_IN_BACKGROUND_FROM = env_int("PLACEMENT_IN_BACKGROUND_FROM", 300, 0)
# An import of a file of about this many rows or more, and a download of a list of this many
# rows or more, is done by the worker.
ROWS_IN_BACKGROUND_FROM = env_int("ROWS_IN_BACKGROUND_FROM", 5000, 0)

# Mail (ADR 20): EMAIL_URL, or the EMAIL_* variables. Local runs and DEBUG print mail to
# the console; production must say where mail goes unless nothing is ever mailed (no
# password reset), because a reset link that silently goes nowhere locks people out.
_email_url = env_str("EMAIL_URL", "")
_email_host = env_str("EMAIL_HOST", "")
if _email_url and _email_host:
    raise ImproperlyConfigured("Set EMAIL_URL or EMAIL_HOST (with EMAIL_PORT, ...), not both.")
_mailer: dict[str, Any] | None
if _email_url:
    _mailer = parse_email_url(_email_url)
elif _email_host:
    _mailer = {
        "BACKEND": _SMTP_BACKEND,
        "OPTIONS": {
            "host": _email_host,
            "port": env_int("EMAIL_PORT", 25, 1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
        },
    }
    if _mailer["OPTIONS"]["use_tls"] and _mailer["OPTIONS"]["use_ssl"]:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other.")
elif _DEV_DEFAULTS_ALLOWED:
    _mailer = {"BACKEND": _CONSOLE_BACKEND}
elif not PASSWORD_RESET_ENABLED:
    # Nothing is mailed; should anything try, it fails with a message (mail.W001 says so).
    _mailer = None
else:
    raise ImproperlyConfigured(
        "Mail is not configured: set EMAIL_URL (smtp://user:pass@host:587?tls=true) or "
        "EMAIL_HOST, or PASSWORD_RESET_ENABLED=false where only single sign-on is used."
    )
_smtp = _mailer is not None and _mailer["BACKEND"] == _SMTP_BACKEND
if _mailer is not None and _smtp:
    # Without a timeout a mail server that accepts the connection and then hangs holds the
    # request (and a worker) for ever.
    _mailer["OPTIONS"]["timeout"] = env_int("EMAIL_TIMEOUT", 10, 1)
MAILERS = {"default": _mailer} if _mailer is not None else {}
if _smtp and not _DEV_DEFAULTS_ALLOWED:
    # A relay refuses (or files as spam) mail from an address of no real domain.
    DEFAULT_FROM_EMAIL = env_address("DEFAULT_FROM_EMAIL", "")
else:
    DEFAULT_FROM_EMAIL = env_address("DEFAULT_FROM_EMAIL", "Tillsammans <noreply@localhost>")
SERVER_EMAIL = env_address("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# The accessibility statement (lag 2018:1937): who runs the service and where a visitor
# reports what they cannot use. The address is shown on a public page.
SERVICE_OWNER = env_str("SERVICE_OWNER", "Göteborgs Stad")
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "")
if ACCESSIBILITY_CONTACT:  # checked as an address; the page links to the address alone
    ACCESSIBILITY_CONTACT = parseaddr(env_address("ACCESSIBILITY_CONTACT", ""))[1]

# HTTPS. TLS ends at the city's proxy, which says so in a header (SECURE_PROXY_SSL_HEADER,
# e.g. "X-Forwarded-Proto: https"); without it an HTTPS redirect would loop.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The proxy's health probe speaks plain HTTP to the site itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (ADR 20): scripts and styles only from this site's static files
# (scripts in a page carry the request's nonce), nothing inline. The TOTP set-up page shows
# its QR code as a data: image. A login form for single sign-on posts here and is then
# redirected to the municipality's identity provider, which form-action must allow.
_form_action: list[str] = [CSP.SELF]
if _oidc_client:
    _oidc = urlsplit(env_str("OIDC_SERVER_URL"))
    if _oidc.scheme not in ("https", "http") or not _oidc.netloc:
        raise ImproperlyConfigured("OIDC_SERVER_URL must be an https:// URL.")
    _form_action.append(f"{_oidc.scheme}://{_oidc.netloc}")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": _form_action,
}

# Import files are parsed in memory; 10 MB is ~100 000 rows.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024, 1024)
# How long an e-mailed invitation to join an organisation can be accepted.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, 1)
# The service's public address, for links in mails that no request is answering (reminders).
SERVICE_URL = env_str("SERVICE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# From this day of a month, partners who have not submitted the month before's report are
# reminded by mail, once.
REPORT_REMINDER_DAY = env_int("REPORT_REMINDER_DAY", 10, 1)
if REPORT_REMINDER_DAY > 28:
    raise ImproperlyConfigured("REPORT_REMINDER_DAY must be a day every month has: 1 to 28.")
# Case records are anonymised this many years after their last entry (people.retention).
RETENTION_YEARS = env_int("RETENTION_YEARS", 5, 5)
# Signed agreements, annexes, logos and report photos (kept in the database, ADR 23).
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024, 1024)

# Log lines carry the request's id (core.requests); in production they are JSON objects, one
# a line, for the city's log collector (LOG_FORMAT=json, the default unless DEBUG).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tillsammans.core.requests.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "tillsammans.core.requests.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env_str("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
if LOGGING["handlers"]["console"]["formatter"] not in ("plain", "json"):  # type: ignore[index]
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")

# An error-reporting service (Sentry, or one that speaks its protocol such as GlitchTip), off
# unless ERROR_REPORTING_DSN names one. It gets the error and where it happened, never who or
# what about whom: no user, cookies, headers, body, query string, local variables or
# breadcrumbs (core.requests.scrub_error_report).
ERROR_REPORTING_DSN = env_str("ERROR_REPORTING_DSN", "")
if ERROR_REPORTING_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from tillsammans.core.requests import scrub_error_report

    sentry_sdk.init(
        dsn=ERROR_REPORTING_DSN,
        environment=env_str("ERROR_REPORTING_ENVIRONMENT", "production"),
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub_error_report,
    )
