"""The legal path's work lists (issue 14): who needs the city's attention now."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from tillsammans.core import access
from tillsammans.core.audit import audit_views
from tillsammans.core.decorators import coordinator_required, people_required
from tillsammans.core.exports import Table, download, table
from tillsammans.core.forms import TableFileField, form_field
from tillsammans.core.lib.tables import FILE_LINE
from tillsammans.housing.models import Site
from tillsammans.partnership.models import Organisation
from tillsammans.people.path_imports import COLUMNS as PATH_COLUMNS
from tillsammans.people.path_imports import path_events_import

from .path_lists import PathList, PathRow, never_arrived, work_lists

DAY_HEADINGS = {
    PathList.EXPIRING: gettext_lazy("Permit ends"),
    PathList.ELIGIBLE: gettext_lazy("Can be registered from"),
    PathList.OVERDUE: gettext_lazy("To notify the tax agency by"),
    PathList.REGISTERED: gettext_lazy("Registered on"),
    PathList.NEVER_ARRIVED: gettext_lazy("Expected to arrive"),
}


class PathListForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=Organisation.objects.none(), required=False,
        to_field_name="slug", empty_label=gettext_lazy("All partners"),
    )  # fmt: skip
    site = forms.ModelChoiceField(
        label=gettext_lazy("Site"), queryset=Site.objects.none(), required=False,
        to_field_name="public_id", empty_label=gettext_lazy("All sites"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = access.visible_sites(user).order_by("name")
        form_field(self, "site", forms.ModelChoiceField).queryset = sites
        if access.is_coordinator(user):
            partners = Organisation.objects.filter(sites__in=sites).distinct().order_by("name")
            form_field(self, "organisation", forms.ModelChoiceField).queryset = partners
        else:
            del self.fields["organisation"]


@people_required
def path_lists(request: HttpRequest, kind: str = PathList.EXPIRING) -> HttpResponse:
    coordinator = access.is_coordinator(request.user)
    if kind not in PathList.values or (kind == PathList.NEVER_ARRIVED and not coordinator):
        kind = PathList.EXPIRING
    form = PathListForm(request.GET or None, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    organisation, site = chosen.get("organisation"), chosen.get("site")
    if request.GET.get("format") == "xlsx":
        wanted = {
            "kind": kind,
            "organisation": organisation.slug if organisation else "",
            "site": str(site.public_id) if site else "",
        }
        return download(request, PATH_LIST, wanted)
    today = timezone.localdate()
    lists = work_lists(
        access.visible_persons(request.user), today,
        organisation_id=organisation.pk if organisation else None,
        site_id=site.pk if site else None,
    )  # fmt: skip
    if coordinator:
        lists[PathList.NEVER_ARRIVED] = never_arrived(today)
    rows = lists[kind]
    persons = _list_persons(rows)
    audit_views(actor=request.user, objs=persons, summary=gettext_noop("legal path work list"))
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reception/path_lists.html",
        {
            "form": form,
            "kind": kind,
            "tabs": [(k, PathList(k).label, len(lists[k])) for k in lists],
            "rows": rows,
            "day_heading": DAY_HEADINGS[PathList(kind)],
            "query": query.urlencode(),
            "today": today,
            "title": _("The legal path: work lists"),
            "tab_label": PathList(kind).label,
        },
    )


PATH_LIST = "reception.path_list"


def _list_persons(rows: list[PathRow]) -> list[Any]:
    """The persons a list names: its own, and the households' of the allocations nobody
    arrived for."""
    persons = [row.person for row in rows if row.person is not None]
    for row in rows:
        if row.allocation is not None:
            persons.extend(row.allocation.household.persons.all())
    return persons


@table(PATH_LIST, who=access.sees_people)
def path_list_table(user: Any, args: dict[str, Any]) -> Table:
    """A work list as a workbook (long ones are made by the worker, ``core.exports``), for
    the persons the user sees when it is made."""
    kind = str(args.get("kind", ""))
    coordinator = access.is_coordinator(user)
    if not access.sees_people(user) or kind not in PathList.values:
        raise Http404
    if kind == PathList.NEVER_ARRIVED and not coordinator:
        raise Http404
    form = PathListForm(
        {"organisation": args.get("organisation", ""), "site": args.get("site", "")}, user=user
    )
    if not form.is_valid():  # a site or partner no longer theirs
        raise Http404
    organisation, site = form.cleaned_data.get("organisation"), form.cleaned_data.get("site")
    today = timezone.localdate()
    if kind == PathList.NEVER_ARRIVED:
        rows = never_arrived(today)
    else:
        rows = work_lists(
            access.visible_persons(user), today,
            organisation_id=organisation.pk if organisation else None,
            site_id=site.pk if site else None,
        )[kind]  # fmt: skip
    persons = _list_persons(rows)

    def audit(actor: Any) -> None:
        audit_views(
            actor=actor, objs=persons, summary=gettext_noop("legal path work list download")
        )

    label = str(PathList(kind).label)
    header, lines = (
        _never_arrived_sheet(rows) if kind == PathList.NEVER_ARRIVED else _sheet(kind, rows)
    )
    return Table(name=f"{label}.xlsx", sheet=label[:31], header=header, rows=lines, audit=audit)


def _never_arrived_sheet(rows: list[PathRow]) -> tuple[list[Any], list[Any]]:
    """The allocations nobody arrived for, with the page's columns."""
    header = [_("Allocation"), _("Household"), str(DAY_HEADINGS[PathList.NEVER_ARRIVED])]
    lines = [
        [row.allocation.reference, row.allocation.household.reference, row.day]
        for row in rows
        if row.allocation is not None
    ]
    return header, lines


def _sheet(kind: str, rows: list[PathRow]) -> tuple[list[Any], list[Any]]:
    header = [_("Name"), _("Born"), _("Household"), _("Site"), _("Partner"),
              str(DAY_HEADINGS[PathList(kind)])]  # fmt: skip
    lines = [
        [row.person.display_name, row.person.birth_date.year, row.person.household.reference,
         row.site.name, row.site.organisation.name, row.day]
        for row in rows
        if row.person is not None and row.site is not None
    ]  # fmt: skip
    return header, lines


class PathEventFileForm(forms.Form):
    file = TableFileField(
        testid="path-file",
        label=gettext_lazy("Events (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per event: case number, event, date, and for a permit its last day, for a "
            "registration the new personal identity number. A file with an error is not "
            "imported at all."
        ),
    )


@coordinator_required
def path_import(request: HttpRequest) -> HttpResponse:
    """Import events of many people's paths at once: all of them, or none with each bad
    row told."""
    form = PathEventFileForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = path_events_import(
            actor=request.user, file_name=upload.name or "", data=upload.read()
        )
        if not result.errors:
            messages.success(
                request,
                ngettext(
                    "%(events)s event of %(persons)s persons was recorded.",
                    "%(events)s events of %(persons)s persons were recorded.",
                    result.events,
                )
                % {"events": result.events, "persons": result.persons},
            )
            return redirect("path_lists")
        errors = result.errors
    return render(
        request,
        "reception/path_import.html",
        {
            "form": form,
            "errors": errors,
            "file_line": FILE_LINE,
            "title": _("Import legal path events"),
            "required_columns": [names[0] for _f, required, names in PATH_COLUMNS if required],
            "optional_columns": [names[0] for _f, required, names in PATH_COLUMNS if not required],
        },
        status=400 if request.method == "POST" else 200,
    )
