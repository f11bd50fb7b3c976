"""The annual added-value report: every member of a party reads it, drafts and editions alike;
the coordinator writes the common parts and publishes; a partner's admin writes its own
section, quotes and photos. Another agreement's report is a 404."""

import datetime as dt
from typing import Any

from tests import agreements
from tests.access import MEMBERS, PARTNER_A_MANAGERS, REDIRECT, Row, closed

YEAR = 2022
COORDINATOR = closed(coordinator=200)
# The city is party to both agreements: its case workers read them as its coordinators do.
THEIRS_READERS = closed(coordinator=200, b_staff=200, case_worker=200)


def _report(which: str = "shared") -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        return {"agreement_id": getattr(agreements, which)(cast).agreement.public_id, "year": YEAR}

    return kwargs


def _with(which: str = "shared", **extra: Any) -> Any:
    base = _report(which)

    def kwargs(cast: Any) -> dict[str, Any]:
        return base(cast) | extra

    return kwargs


def text_of(slug_of: str) -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        return _report()(cast) | {"slug": getattr(cast, slug_of).slug}

    return kwargs


def _quote(cast: Any, section: Any) -> Any:
    from tillsammans.reporting.services import quote_add

    return quote_add(
        actor=cast.coordinator, agreement=agreements.shared(cast).agreement, year=YEAR,
        organisation=section, text_sv="Här kan vi vila.", text_en="", said_by_sv="en boende",
        said_by_en="", consent_on=dt.date(2022, 11, 1), consent=True,
    )  # fmt: skip


def quote_of_a(cast: Any) -> dict[str, Any]:
    return _report()(cast) | {"quote_id": _quote(cast, cast.org_a).pk}


def quote_of_all(cast: Any) -> dict[str, Any]:
    return _report()(cast) | {"quote_id": _quote(cast, None).pk}


def _photo(cast: Any, which: str = "shared") -> Any:
    from tillsammans.reporting.services import photo_add

    return photo_add(
        actor=cast.coordinator, agreement=getattr(agreements, which)(cast).agreement, year=YEAR,
        organisation=cast.org_a if which == "shared" else cast.org_b,
        upload=agreements.logo_png(), caption_sv="Språkcafé", caption_en="", credit="Foto Ek",
        consent=True,
    )  # fmt: skip


def photo_of_a(cast: Any) -> dict[str, Any]:
    return _report()(cast) | {"photo_id": _photo(cast).public_id}


def image(which: str) -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        return {"file_id": _photo(cast, which).file.public_id}

    return kwargs


def edition(language: str) -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        from tillsammans.reporting.services import edition_publish

        published = edition_publish(
            actor=cast.coordinator, agreement=agreements.shared(cast).agreement, year=YEAR,
            render=lambda _language: ("<p>Utgåva</p>", []),
        )  # fmt: skip
        return _report()(cast) | {"number": published.number, "edition": language}

    return kwargs


ROWS = [
    Row("annual_index", closed(**MEMBERS)),
    Row("annual_report", closed(**MEMBERS), kwargs=_with(edition="sv")),
    Row("annual_report", THEIRS_READERS, kwargs=_with("theirs", edition="sv"), case="B's"),
    # The draft PDF is made by the worker: the POST starts it and sends the user to its page.
    Row(
        "annual_report_pdf",
        closed(**{role: REDIRECT for role in MEMBERS}),
        kwargs=_with(edition="sv"),
        method="post",
    ),
    Row("annual_edit", COORDINATOR, kwargs=_report()),
    Row(
        "annual_edit",
        closed(coordinator=REDIRECT),
        kwargs=_report(),
        method="post",
        data=lambda cast: {"intro_sv": "Vid kris sluter civilsamhället upp."},
    ),
    Row("annual_publish", COORDINATOR, kwargs=_report()),
    Row("annual_publish", closed(coordinator=REDIRECT), kwargs=_report(), method="post"),
    Row("annual_text", closed(**PARTNER_A_MANAGERS), kwargs=text_of("org_a"), case="partner A"),
    Row("annual_text", COORDINATOR, kwargs=text_of("org_b"), case="partner B"),
    Row(
        "annual_text",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=text_of("org_a"),
        method="post",
        data=lambda cast: {"text_sv": "Vi tog emot familjer.", "headline_sv": "Ett hem"},
    ),
    Row("annual_quote_add", closed(**PARTNER_A_MANAGERS), kwargs=_report()),
    Row(
        "annual_quote_add",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=_report(),
        method="post",
        data=lambda cast: {
            "organisation": cast.org_a.pk,
            "text_sv": "Tack för allt.",
            "said_by_sv": "Olha, som bor hos oss",
            "consent_on": "2022-12-01",
            "consent": "on",
        },
    ),
    Row("annual_quote_delete", closed(**PARTNER_A_MANAGERS), kwargs=quote_of_a, case="A's"),
    Row("annual_quote_delete", COORDINATOR, kwargs=quote_of_all, case="the whole report's"),
    Row("annual_photo_add", closed(**PARTNER_A_MANAGERS), kwargs=_report()),
    Row("annual_photo_delete", closed(**PARTNER_A_MANAGERS), kwargs=photo_of_a),
    Row("annual_edition", closed(**MEMBERS), kwargs=edition("en")),
    Row("annual_edition_pdf", closed(**MEMBERS), kwargs=edition("sv")),
    Row("report_image", closed(**MEMBERS), kwargs=image("shared")),
    Row("report_image", THEIRS_READERS, kwargs=image("theirs"), case="B's"),
]
