import datetime as dt
import logging
import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tillsammans.core.decorators import coordinator_required, member_required
from tillsammans.core.lib import params

from .background import worker_alive
from .find import SHORTEST_QUERY, find
from .forms import AuditSearchForm
from .models import AuditEvent

logger = logging.getLogger(__name__)


ACCESSIBILITY_REVIEWED = dt.date(2026, 12, 7)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement that Swedish law asks of a public-sector service: open to
    anyone, logged in or not, in the reader's language."""
    context = {
        "title": _("Accessibility of Tillsammans"),
        "owner": settings.SERVICE_OWNER,
        "contact": settings.ACCESSIBILITY_CONTACT,
        "reviewed": ACCESSIBILITY_REVIEWED,
    }
    return render(request, "core/accessibility.html", context)


class FindForm(forms.Form):
    q = forms.CharField(
        label=_lazy("Search"), max_length=100, required=False, strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip


@member_required
def search(request: HttpRequest) -> HttpResponse:
    """The search box on every page: households, persons, sites and services by name,
    reference or number, among what the reader may see (``core.find``)."""
    form = FindForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    too_short = 0 < len(query) < SHORTEST_QUERY
    groups = find(request.user, query) if query and not too_short else []
    context = {
        "form": form, "query": query, "groups": groups, "too_short": too_short,
        "shortest": SHORTEST_QUERY, "title": _("Search"),
    }  # fmt: skip
    return render(request, "core/search.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: whether this process can serve now, part by part (the database, the shared
    cache); 503 when one of them cannot, so that a proxy or an orchestrator sends no request
    here meanwhile. Each part says ok or unavailable, never why: the log has that.

    It also says whether a background worker was heard from lately. Without one the pages
    still work and background work waits, so this process stays ready (status "degraded"):
    taking every web process out of service because the worker died would stop everything.
    """
    parts = {"database": _database_ready(), "cache": _cache_ready()}
    ready = all(parts.values())
    worker = ready and _worker_ready()
    status = "unavailable" if not ready else ("ok" if worker else "degraded")
    return JsonResponse(
        {"status": status,
         **{name: "ok" if fine else "unavailable" for name, fine in parts.items()},
         "worker": "ok" if worker else "unavailable"},
        status=200 if ready else 503,
    )  # fmt: skip


def _worker_ready() -> bool:
    try:
        return worker_alive()
    except DatabaseError:
        logger.exception("readiness: the worker heartbeats cannot be read")
        return False


def _database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("readiness: the database does not answer")
        return False
    return True


def _cache_ready() -> bool:
    key, token = "readyz", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=30)
        fine = cache.get(key) == token
    except Exception:  # any backend's own error: the cache cannot be used
        logger.exception("readiness: the cache does not answer")
        return False
    if not fine:
        logger.error("readiness: the cache did not keep a value")
    return fine


@coordinator_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["who"]:
            events = events.filter(actor_email__icontains=data["who"])
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
    page = Paginator(events, 100).get_page(params.get_page(request.GET))
    page.object_list = AuditEvent.name_mentions(list(page.object_list))
    return render(
        request, "core/audit_list.html", {"form": form, "page": page, "title": _("Audit log")}
    )
