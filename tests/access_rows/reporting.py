"""The annual added-value report: figures for every member, texts by their own partner."""

from tests.access import MEMBERS, PARTNER_A_MANAGERS, REDIRECT, Row, closed

YEAR = 2022


def year_sv(cast):
    return {"year": YEAR, "edition": "sv"}


def text_a(cast):
    return {"year": YEAR, "slug": cast.org_a.slug}


def text_b(cast):
    return {"year": YEAR, "slug": cast.org_b.slug}


ROWS = [
    Row("annual_index", closed(**MEMBERS)),
    Row("annual_report", closed(**MEMBERS), kwargs=year_sv),
    Row("annual_report_pdf", closed(**MEMBERS), kwargs=year_sv),
    Row("annual_text", closed(**PARTNER_A_MANAGERS), kwargs=text_a, case="partner A"),
    Row("annual_text", closed(coordinator=200), kwargs=text_b, case="partner B"),
    Row(
        "annual_text",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=text_a,
        method="post",
        data=lambda cast: {"text_sv": "Vi tog emot familjer.", "quote_by_sv": "en boende"},
    ),
]
