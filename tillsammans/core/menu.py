"""The main menu (issue 16): the pages grouped by what people do, each group showing only the
pages its reader may open (``core.links.may_open``, the pages' own rules), and a group with
none of them not shown at all."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .links import may_open


@dataclass(frozen=True)
class Item:
    label: Promise
    # The first of these pages the reader may open (Jobbstart's caseload, else its figures).
    names: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    label: Promise
    items: tuple[Item, ...]


def _item(label: Promise, *names: str) -> Item:
    return Item(label, names)


MENU = (
    Group(_("Housing"), (
        _item(_("Sites"), "site_list"),
        _item(_("Allocations"), "allocation_list"),
        _item(_("Placement"), "placement_home"),
        _item(_("Host homes"), "hosting_home"),
    )),
    Group(_("People"), (
        _item(_("Households"), "household_list"),
        _item(_("Legal path"), "path_lists"),
        _item(_("Unaccompanied children"), "case_list"),
    )),
    Group(_("Services"), (
        _item(_("Catalogue of services"), "service_list"),
        _item(_("Referrals"), "referral_home"),
        _item(_("Food coupons"), "coupon_list"),
        _item(_("Joint trainings"), "training_list"),
        _item(_("Jobbstart"), "jobs_home", "jobs_figures"),
    )),
    Group(_("Money"), (
        _item(_("Monthly reports"), "finance_home"),
        _item(_("The state's payments"), "reconciliation_latest"),
    )),
    Group(_("Reports"), (
        _item(_("Dashboard"), "dashboard"),
        _item(_("Annual report"), "annual_index"),
    )),
    Group(_("The partnership"), (
        _item(_("Partnership"), "partnership"),
        _item(_("Audit log"), "audit_list"),
        _item(_("Review of the audit log"), "log_review"),
    )),
)  # fmt: skip


@dataclass(frozen=True)
class Shown:
    label: str
    url: str
    current: bool


def menu_for(user: Any, path: str) -> list[tuple[str, list[Shown]]]:
    """The groups and links ``user`` is offered; the link to the page being read (``path``)
    is marked as the current one."""
    offered: list[tuple[str, list[tuple[str, str]]]] = []
    for group in MENU:
        links = []
        for item in group.items:
            name = next((name for name in item.names if may_open(user, name)), None)
            if name is not None:
                links.append((str(item.label), reverse(name)))
        if links:
            offered.append((str(group.label), links))
    # The page being read is under the link whose address begins it the longest way.
    under = [url for _group, links in offered for _label, url in links if _under(path, url)]
    current = max(under, key=len, default=None)
    return [
        (label, [Shown(text, url, url == current) for text, url in links])
        for label, links in offered
    ]


def _under(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))
