from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tillsammans.core.decorators import coordinator_required
from tillsammans.core.lib import params

from .forms import AuditSearchForm
from .models import AuditEvent


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
    return render(
        request, "core/audit_list.html", {"form": form, "page": page, "title": _("Audit log")}
    )
