"""The bulk form: every pasted line matched, to choose or not found, in a preview; recorded
only when the user confirms it, all or nothing."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from tillsammans.addedvalues.models import Delivery
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.core.models import AuditEvent
from tillsammans.people.models import Person
from tillsammans.people.search import passport_spelling
from tillsammans.reception.models import ExitReason, Stay
from tillsammans.reception.services import allocation_place, stay_end
from tillsammans.reporting.demo import SURNAMES

from .bulk import candidates, confirmation, outcomes, preview, url
from .conftest import MOVED_IN


@pytest.fixture
def staff(cast, client):
    client.force_login(cast.a_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _resident(coordinator, unit, first, last, first_latin, last_latin, **fields):
    household = HouseholdFactory()
    person = PersonFactory(
        household=household,
        first_name=first,
        last_name=last,
        first_name_latin=first_latin,
        last_name_latin=last_latin,
        **fields,
    )
    allocation_place(
        actor=coordinator, allocation=AllocationFactory(household=household), unit=unit, on=MOVED_IN
    )
    return person


def _names(cast):
    olena, mariia = cast.household_a.persons.order_by("id")
    return olena, mariia


def test_it_shows_every_pasted_line_as_matched_to_choose_or_not_found_before_recording(
    cast, staff, language_cafe, household_b
):
    # given: a sign-up sheet with a full name, a surname two residents share, a name nobody
    # has, an empty line and the first name again in Cyrillic
    sheet = "Olena Shevchenko\nShevchenko\nPetro Nemaie\n\nШевченко Олена"
    # when
    page = preview(staff, language_cafe, sheet)
    # then
    html = page.content.decode()
    assert outcomes(page) == [
        (1, "matched"),
        (2, "choose"),
        (3, "not_found"),
        (4, "matched"),
    ]
    assert candidates(page, 1) == ["Олена Шевченко"]
    assert sorted(candidates(page, 2)) == ["Марія Шевченко", "Олена Шевченко"]
    assert "1 empty line was left out." in html
    assert "The same person as on line 1: recorded once." in html
    assert 'data-testid="record"' in html
    assert not Delivery.objects.exists()


def test_it_finds_our_own_resident_among_many_namesakes_in_the_city(cast, staff, language_cafe):
    # given: eight women called Оксана Мельник live at partner B's site, and one at ours
    hall = UnitFactory(site=cast.site_b, name="B-hall", beds=10)
    for _ in range(8):
        _resident(cast.coordinator, hall, "Оксана", "Мельник", "Oksana", "Melnyk")
    ours = _resident(
        cast.coordinator, cast.unit_a, "Оксана", "Мельник", "Oksana", "Melnyk",
        birth_date=dt.date(1990, 2, 3),
    )  # fmt: skip
    # when: the sheet has her name among others
    page = preview(staff, language_cafe, "Oksana Melnyk\nOlena Shevchenko")
    # then: she is offered first, marked as living with us
    assert outcomes(page)[0] == (1, "choose")
    line = page.context["lines"][0][0]
    assert len(line.candidates) == 9 and line.more == 0
    assert line.candidates[0].public_id == str(ours.public_id)
    assert line.candidates[0].lives_with_us
    assert not any(row.lives_with_us for row in line.candidates[1:])


def test_it_says_not_found_with_the_text_of_the_line(cast, staff, language_cafe):
    # when
    page = preview(staff, language_cafe, "Olena Shevchenko\nZinaida Neznaioma")
    # then: the line's text, marked as not found
    assert outcomes(page)[1] == (2, "not_found")
    line = re.search(r'<li [^>]*data-outcome="not_found".*?</li>', page.content.decode(), re.S)
    assert line is not None
    assert "Zinaida Neznaioma" in line.group() and "Not found" in line.group()


def test_it_records_exactly_the_persons_chosen(cast, staff, language_cafe, household_b):
    # given: a surname two residents share, and a resident found by name
    _olena, mariia = _names(cast)
    page = preview(staff, language_cafe, "Shevchenko\nIryna Kovalenko")
    # when: the user picks Mariia on the first line and keeps Iryna
    response = staff.post(url(language_cafe), confirmation(page, {1: mariia}))
    # then
    assert response.status_code == 302
    recorded = Delivery.objects.filter(service=language_cafe)
    assert sorted(recorded.values_list("person__first_name", flat=True)) == ["Ірина", "Марія"]


def test_it_records_nobody_on_a_line_the_user_says_nobody(cast, staff, language_cafe, household_b):
    # given
    page = preview(staff, language_cafe, "Olena Shevchenko\nIryna Kovalenko")
    # when: the first line's match was someone else, so the user says nobody there
    response = staff.post(url(language_cafe), confirmation(page, {1: None}))
    # then
    assert response.status_code == 302
    assert list(Delivery.objects.values_list("person__first_name", flat=True)) == ["Ірина"]


def test_it_records_a_list_once_however_often_the_confirmation_is_posted(
    cast, staff, language_cafe
):
    # given
    page = preview(staff, language_cafe, "Olena Shevchenko\nMariia Shevchenko")
    data = confirmation(page)
    staff.post(url(language_cafe), data)
    # when: the same confirmation arrives again (a double click, the back button)
    again = staff.post(url(language_cafe), data, follow=True)
    # then
    assert Delivery.objects.filter(service=language_cafe).count() == 2
    assert "This list was already recorded; nothing was recorded again." in again.content.decode()


@pytest.mark.parametrize("whom", ["not a resident", "not offered on that line", "not a uuid"])
def test_it_records_nothing_for_a_person_the_preview_did_not_offer(
    whom, cast, staff, language_cafe, household_b
):
    # given: a preview of two lines, then a confirmation with the first line's choice changed
    page = preview(staff, language_cafe, "Olena Shevchenko\nIryna Kovalenko")
    tampered = {
        "not a resident": str(cast.allocation_pending.household.persons.get().public_id),
        "not offered on that line": str(household_b.persons.get().public_id),
        "not a uuid": "1 OR 1=1",
    }[whom]
    # when
    response = staff.post(url(language_cafe), confirmation(page, **{"line-1": tampered}))
    # then
    assert response.status_code == 200
    assert "Line 1: choose one of the persons shown, or nobody." in response.content.decode()
    assert not Delivery.objects.exists()


def test_it_records_nothing_when_the_list_changed_after_the_preview(
    cast, staff, language_cafe, household_b
):
    # given
    page = preview(staff, language_cafe, "Olena Shevchenko")
    data = confirmation(page, q="Olena Shevchenko\nIryna Kovalenko")
    # when
    response = staff.post(url(language_cafe), data)
    # then: the new list is previewed, nothing recorded
    assert response.status_code == 200
    assert "the list is not the one in the preview" in response.content.decode()
    assert outcomes(response) == [(1, "matched"), (2, "matched")]
    assert not Delivery.objects.exists()


def test_it_records_nothing_with_a_preview_of_another_service(cast, staff, language_cafe, food_bag):
    # given: a preview made on the language café's form
    page = preview(staff, language_cafe, "Olena Shevchenko")
    # when: its confirmation is posted to the food bag's form
    response = staff.post(url(food_bag), confirmation(page))
    # then
    assert response.status_code == 200
    assert not Delivery.objects.exists()


def test_it_asks_to_choose_each_person_once(cast, staff, language_cafe):
    # given: two lines that both offer Olena
    olena, _mariia = _names(cast)
    page = preview(staff, language_cafe, "Shevchenko\nSevchenko")
    # when: the user picks her on both
    response = staff.post(url(language_cafe), confirmation(page, {1: olena, 2: olena}))
    # then
    assert "Олена Шевченко is chosen on line 1 and on line 2" in response.content.decode()
    assert not Delivery.objects.exists()


def test_it_audits_each_person_shown_once(cast, staff, language_cafe, household_b):
    # when: Olena is shown on two lines, Mariia and Iryna on one
    page = preview(staff, language_cafe, "Shevchenko\nOlena Shevchenko\nKovalenko")
    # then
    shown = {row.public_id for line, *_rest in page.context["lines"] for row in line.candidates}
    events = AuditEvent.objects.filter(
        actor=cast.a_staff, action="view", object_type="people.person"
    )
    assert len(shown) == 3
    assert sorted(events.values_list("object_id", flat=True)) == sorted(shown)


def test_it_tells_namesakes_apart_by_the_year_of_birth(cast, staff, language_cafe):
    # given: two Oksana Melnyk, born in 1990 and 1972
    younger = _resident(cast.coordinator, cast.unit_a, "Оксана", "Мельник", "Oksana", "Melnyk",
                        birth_date=dt.date(1990, 2, 3))  # fmt: skip
    _resident(cast.coordinator, cast.unit_b, "Оксана", "Мельник", "Oksana", "Melnyk",
              birth_date=dt.date(1972, 8, 9))  # fmt: skip
    # when
    page = preview(staff, language_cafe, "Oksana Melnyk 1990")
    # then
    assert outcomes(page) == [(1, "matched")]
    assert page.context["lines"][0][0].candidates[0].public_id == str(younger.public_id)


def test_it_matches_a_line_that_is_a_permit_card_number(cast, staff, language_cafe):
    # given
    iryna = PersonFactory(household=cast.household_a, first_name="Ірина", last_name="Бойко",
                          permit_card_number="UT12345678")  # fmt: skip
    # when
    page = preview(staff, language_cafe, "UT12345678")
    # then
    assert outcomes(page) == [(1, "matched")]
    assert candidates(page, 1) == [iryna.written_name]


def test_it_refuses_more_lines_than_it_looks_up(cast, staff, language_cafe):
    # when
    page = preview(staff, language_cafe, "\n".join(f"Name {n}" for n in range(41)))
    # then
    assert "At most 40 names at a time; the list has 41." in page.content.decode()
    assert page.context["lines"] == []


def test_it_looks_up_thirty_lines_in_one_query_each(
    cast, staff, language_cafe, django_assert_max_num_queries
):
    # given: thirty residents of partner B
    hall = UnitFactory(site=cast.site_b, name="B-hall", beds=30)
    names = [
        _resident(cast.coordinator, hall, "Ольга", surname, "Olha", passport_spelling(surname))
        for surname in SURNAMES[10:40]
    ]
    # when / then: a line costs one query; the rest (session, rows, audit) a handful
    with django_assert_max_num_queries(30 + 12):
        page = preview(staff, language_cafe, "\n".join(str(person) for person in names))
    assert {outcome for _number, outcome in outcomes(page)} == {"matched"}
    assert Person.objects.count() > 30


def test_it_records_nothing_for_a_person_who_moved_out_after_the_preview(
    cast, staff, language_cafe, household_b
):
    # given: Iryna is in the preview, then her household moves out
    page = preview(staff, language_cafe, "Olena Shevchenko\nIryna Kovalenko")
    stay = Stay.objects.get(household=household_b, ended_on__isnull=True)
    stay_end(
        actor=cast.coordinator, stay=stay, on=timezone.localdate(), reason=ExitReason.OWN_HOUSING
    )
    # when
    response = staff.post(url(language_cafe), confirmation(page))
    # then: nothing is recorded, and the line no longer offers her
    assert response.status_code == 200
    assert "Line 2: choose one of the persons shown, or nobody." in response.content.decode()
    assert candidates(response, 2) == []
    assert not Delivery.objects.exists()
