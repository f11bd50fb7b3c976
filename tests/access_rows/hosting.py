"""Hjärterum: partner A runs the host-home programme here, so only partner A's admins and
staff (who work in the programme) and the coordinator see hosts, register and change them;
paying rent is for partner A's admins and the coordinator. Everyone else gets the same 404."""

import datetime as dt
from typing import Any

from tests.access import PARTNER_A_PEOPLE, REDIRECT, Row, closed

ALL_POST = {role: 405 for role in PARTNER_A_PEOPLE}
DONE = {role: REDIRECT for role in PARTNER_A_PEOPLE}


def _programme(cast: Any) -> Any:
    from tillsammans.hosting.models import Programme

    return Programme.objects.get_or_create(organisation=cast.org_a, name="Hjärterum")[0]


def _host(cast: Any) -> Any:
    from tillsammans.hosting.models import Host
    from tillsammans.hosting.services import host_register, vetting_record

    existing = Host.objects.first()
    if existing is not None:
        return existing
    host = host_register(
        actor=cast.coordinator, programme=_programme(cast), beds=2, name="Värd A",
        address="Exempelgatan 1", district="Majorna-Linné", available_from=dt.date(2022, 8, 1),
        monthly_rent=4000,
    )  # fmt: skip
    for step in ("home_visit", "identity", "reference"):
        vetting_record(actor=cast.coordinator, host=host, step=step, on=dt.date(2022, 8, 1))
    return host


def _said_yes(cast: Any) -> Any:
    from tillsammans.hosting.services import answer_record

    host = _host(cast)
    answer_record(
        actor=cast.coordinator, host=host, household=cast.household_a, answer="yes",
        answered_on=dt.date(2022, 9, 1),
    )  # fmt: skip
    return host


def _agreement(cast: Any) -> Any:
    from tillsammans.hosting.models import HostingAgreement
    from tillsammans.hosting.services import agreement_sign

    existing = HostingAgreement.objects.first()
    if existing is not None:
        return existing
    return agreement_sign(
        actor=cast.coordinator, host=_said_yes(cast), household=cast.household_a,
        signed_on=dt.date(2022, 9, 2), starts_on=dt.date(2022, 9, 5),
        ends_on=dt.date(2023, 3, 5), signed_by_host=True, signed_by_organisation=True,
        signed_by_guest=True,
    )  # fmt: skip


def with_programme(cast: Any) -> dict[str, Any]:
    _programme(cast)
    return {}


def host(cast: Any) -> dict[str, Any]:
    return {"public_id": _host(cast).public_id}


def host_said_yes(cast: Any) -> dict[str, Any]:
    return {"public_id": _said_yes(cast).public_id}


def agreement(cast: Any) -> dict[str, Any]:
    return {"public_id": _agreement(cast).public_id}


def vet_step(cast: Any) -> dict[str, Any]:
    return {**host(cast), "step": "home_visit"}


def _host_data(cast: Any) -> dict[str, Any]:
    return {
        "programme": _programme(cast).pk, "name": "Värd B", "address": "Exempelgatan 2",
        "district": "Centrum", "rooms": 1, "beds": 2, "available_from": "2022-08-01",
        "languages": "sv, en", "prefers": "any", "rent_basis": "home", "monthly_rent": 4000,
    }  # fmt: skip


ROWS = [
    Row("hosting_home", closed(**PARTNER_A_PEOPLE), kwargs=with_programme),
    # Without a programme, partner A's staff see no hosts at all.
    Row("hosting_home", closed(coordinator=200), case="no programme"),
    Row("host_programme_create", closed(coordinator=200)),
    Row(
        "host_programme_create",
        closed(coordinator=REDIRECT),
        method="post",
        data=lambda cast: {"organisation": cast.org_b.pk, "name": "Hjärterum B"},
    ),
    Row("host_register", closed(**PARTNER_A_PEOPLE), kwargs=with_programme),
    Row(
        "host_register",
        closed(**DONE),
        kwargs=with_programme,
        method="post",
        data=_host_data,
    ),
    Row("host_proposals", closed(**PARTNER_A_PEOPLE), kwargs=with_programme),
    Row("rent_month", closed(**PARTNER_A_PEOPLE), kwargs=with_programme, query="month=2022-10"),
    Row(
        "rent_export",
        closed(**PARTNER_A_PEOPLE),
        kwargs=with_programme,
        query="month=2022-10&format=csv",
        case="CSV",
    ),
    Row(
        "rent_export",
        closed(**PARTNER_A_PEOPLE),
        kwargs=with_programme,
        query="month=2022-10&format=xlsx",
        case="XLSX",
    ),
    Row("rent_pay", closed(**ALL_POST), kwargs=with_programme),
    # Staff are told that they cannot; the page comes back either way.
    Row(
        "rent_pay",
        closed(**DONE),
        kwargs=with_programme,
        method="post",
        data=lambda cast: {"month": "2022-10"},
    ),
    Row("host_detail", closed(**PARTNER_A_PEOPLE), kwargs=host),
    Row("host_edit", closed(**PARTNER_A_PEOPLE), kwargs=host),
    Row(
        "host_edit",
        closed(**DONE),
        kwargs=host,
        method="post",
        data=lambda cast: {k: v for k, v in _host_data(cast).items() if k != "programme"},
    ),
    Row("host_vet", closed(**ALL_POST), kwargs=vet_step),
    Row(
        "host_vet",
        closed(**DONE),
        kwargs=vet_step,
        method="post",
        data=lambda cast: {"home_visit-on": "2022-08-02", "home_visit-notes": "Bra"},
    ),
    Row("host_answer", closed(**ALL_POST), kwargs=host),
    # Partner A's staff may only name households proposed for the home or that lived there.
    Row(
        "host_answer",
        closed(coordinator=REDIRECT, a_admin=400, a_staff=400),
        kwargs=host,
        method="post",
        data=lambda cast: {"household": "H-A", "answer": "yes", "answered_on": "2022-09-01"},
    ),
    Row("agreement_sign", closed(**ALL_POST), kwargs=host),
    Row(
        "agreement_sign",
        closed(**DONE),
        kwargs=host_said_yes,
        method="post",
        data=lambda cast: {
            "household": cast.household_a.pk,
            "signed_on": "2022-09-02",
            "starts_on": "2022-09-05",
            "ends_on": "2023-03-05",
            "signed_by_host": "on",
            "signed_by_organisation": "on",
            "signed_by_guest": "on",
        },
    ),
    Row("host_follow_up", closed(**ALL_POST), kwargs=host),
    Row(
        "host_follow_up",
        closed(**DONE),
        kwargs=host,
        method="post",
        data=lambda cast: {"on": "2022-09-10", "with_whom": "both", "concerns": "Inga"},
    ),
    Row("agreement_detail", closed(**PARTNER_A_PEOPLE), kwargs=agreement),
    Row(
        "agreement_detail",
        closed(**DONE),
        kwargs=agreement,
        method="post",
        data=lambda cast: {"ends_on": "2023-04-01", "next_place": "Egen lägenhet"},
    ),
    Row("agreement_end", closed(**ALL_POST), kwargs=agreement),
    Row(
        "agreement_end",
        closed(**DONE),
        kwargs=agreement,
        method="post",
        data=lambda cast: {"on": "2023-01-10", "reason": "host", "notes": ""},
    ),
]
