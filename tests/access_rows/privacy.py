"""The person's rights: the coordinator makes a register extract and handles requests for
correction; nobody else sees these pages."""

import datetime as dt
from typing import Any

from tests.access import REDIRECT, Row, closed, person_a


def _correction(cast: Any) -> dict[str, Any]:
    from tillsammans.privacy.services import correction_add

    correction = correction_add(
        actor=cast.coordinator, person=cast.household_a.persons.first(),
        received_on=dt.date(2022, 11, 3), request="Stavningen av namnet.",
    )  # fmt: skip
    return {"public_id": correction.public_id}


COORDINATOR = closed(coordinator=200)

ROWS = [
    Row("person_rights", COORDINATOR, kwargs=person_a),
    Row("extract_start", closed(coordinator=405), kwargs=person_a),
    Row(
        "extract_start",
        closed(coordinator=REDIRECT),
        kwargs=person_a,
        method="post",
        data=lambda cast: {"language": "sv", "asked_on": "2022-11-03"},
    ),
    Row("correction_add", closed(coordinator=405), kwargs=person_a),
    Row(
        "correction_add",
        closed(coordinator=REDIRECT),
        kwargs=person_a,
        method="post",
        data=lambda cast: {"received_on": "2022-11-03", "request": "Namnet."},
    ),
    Row("correction_handle", closed(coordinator=405), kwargs=_correction),
    Row(
        "correction_handle",
        closed(coordinator=REDIRECT),
        kwargs=_correction,
        method="post",
        data=lambda cast: {"status": "corrected", "handled_on": "2022-11-04", "outcome": "Ja."},
    ),
]

# The review of the audit log: the data protection officer only, a flag no cast role has
# (tests/test_log_review.py signs in as one).
ROWS += [
    Row("log_review", closed()),
    Row("log_review_sign", closed()),
    Row("log_review_compute", closed()),
    Row("log_review_compute", closed(), method="post", data=lambda cast: {"month": "2022-11"}),
    Row(
        "log_review_sign",
        closed(),
        method="post",
        data=lambda cast: {"month": "2022-11", "notes": "Granskat."},
    ),
]
