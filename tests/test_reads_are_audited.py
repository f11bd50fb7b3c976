"""Every person a page shows is a read: the request leaves a VIEW event for each of them.

Each page of the access matrix that answers a role with 200 is requested as that role, in a
world where partner A's household has a coupon, a referral to partner B, a delivery, a job
seeker, a host home and a placement proposal, so that the lists have someone in them. Every
person whose name is in the answer (HTML, JSON, CSV, XLSX or PDF), and every person of a
household shown by its reference alone, must have a VIEW audit event from that request, by
that user (ADR 4).
"""

import html
import io
import re
from typing import Any

import pytest
from django.urls import reverse

from tests.access import _proposal
from tests.access_rows import addedvalues, coupons, hosting, jobs, referrals
from tests.conftest import ROLES, user_of
from tests.test_access_matrix import MATRIX
from tillsammans.core.models import AuditAction, AuditEvent
from tillsammans.jobs.services import proposal_create as job_proposal_create
from tillsammans.people.models import Household, Person

# The same outcome on every database: the PostgreSQL pass leaves it to the SQLite one.
pytestmark = pytest.mark.portable

# Pages that name households without reading them, each with the reason.
NOT_READS = {
    "audit_list": "the log's summaries name the households its events are about; reviewing "
    "the log is the check on reads, not a read of the persons",
}

PAGES = [
    pytest.param(row, role, id=f"{row.id} as {role}")
    for row in MATRIX
    for role in ROLES
    if row.expect[role] == 200 and row.name not in NOT_READS
]


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def answer_text(response: Any) -> tuple[str, str]:
    """What a reader of the answer sees: the markup and its text (attributes left out), the
    cells, the PDF's text."""
    content_type = response.headers.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        text = _pdf_text(content)
        return text, text
    if "spreadsheetml" in content_type:
        text = _xlsx_text(content)
        return text, text
    markup = content.decode("utf-8", errors="replace")
    return html.unescape(markup), html.unescape(re.sub(r"<[^>]*>", " ", markup))


def spellings(person: Person) -> set[str]:
    names = {(person.first_name, person.last_name)}
    if person.first_name_latin and person.last_name_latin:
        names.add((person.first_name_latin, person.last_name_latin))
    found = {f"{first} {last}" for first, last in names}
    found |= {f"{last} {first}" for first, last in names}
    found |= {f"{last}, {first}" for first, last in names}
    if person.name_swedish:
        found.add(person.name_swedish)
    return found


def _in(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def persons_shown_in(answer: tuple[str, str]) -> set[str]:
    """Persons named anywhere in the answer; and where a household's reference is in its
    text but none of its persons is named (a list of households, a coupon, a guest), all its
    persons. A search box still holding a typed reference shows nobody."""
    markup, text = answer
    named = {
        person
        for person in Person.objects.all()
        if any(_in(name, markup) or _in(name, text) for name in spellings(person))
    }
    shown = {person.public_id for person in named}
    households = {person.household_id for person in named}
    for household in Household.objects.exclude(pk__in=households):
        if _in(household.reference, text):
            shown |= set(household.persons.values_list("public_id", flat=True))
    return {str(public_id) for public_id in shown}


@pytest.fixture
def world(cast: Any) -> Any:
    """Partner A's household in every list: a coupon, a referral to partner B, a delivery,
    a job seeker with an opening, a host home it lives in, and a placement proposal."""
    coupons.coupon_a(cast)
    referrals.referral_to_b(cast)
    addedvalues.delivery_a(cast)
    job_proposal_create(actor=cast.a_staff, seeker=jobs._seeker(cast), opening=jobs._opening(cast))
    hosting.agreement(cast)
    _proposal(cast)
    return cast


def _request(client: Any, row: Any, cast: Any) -> tuple[Any, int]:
    url = reverse(row.name, kwargs=row.kwargs(cast))
    if row.query:
        url = f"{url}?{row.query}"
    data = row.data(cast)
    # Setting up the row records events of its own; only the request's count.
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return getattr(client, row.method)(url, data), before


@pytest.mark.parametrize(("row", "role"), PAGES)
def test_it_records_a_read_of_every_person_a_page_shows(row, role, world, client_as):
    # given
    cast = world
    client = client_as(role)
    # when
    response, before = _request(client, row, cast)
    # then
    assert response.status_code == 200
    shown = persons_shown_in(answer_text(response))
    audited = set(
        AuditEvent.objects.filter(
            id__gt=before,
            action=AuditAction.VIEW,
            object_type="people.person",
            actor=user_of(cast, role),
        ).values_list("object_id", flat=True)
    )
    assert shown <= audited, f"shown without an audit event: {sorted(shown - audited)}"


def test_it_finds_the_names_a_household_page_shows(cast, client_as):
    # given: the check above must not pass because it finds no names at all
    client = client_as("a_staff")
    url = reverse("household_detail", kwargs={"public_id": cast.household_a.public_id})
    # when
    shown = persons_shown_in(answer_text(client.get(url)))
    # then
    assert shown == {str(person.public_id) for person in cast.household_a.persons.all()}
