import datetime as dt
import re

from django.urls import reverse

from tests.page_text import shown_text
from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
from tillsammans.core.models import AuditEvent
from tillsammans.reception.services import allocation_place


def test_it_shows_a_household_to_the_partner_housing_it_and_audits_the_read(cast, client):
    # given
    client.force_login(cast.a_staff)
    # when
    response = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    # then
    assert response.status_code == 200
    assert "Шевченко" in response.text
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, action="view", object_id=str(cast.household_a.public_id)
    ).exists()


def test_it_labels_the_move_out_date_with_the_input_of_the_move_out_form(cast, client):
    # given: the move form and the move-out form share the page, both with a date named "on"
    client.force_login(cast.a_staff)
    move_out_url = reverse("stay_end", args=[cast.stay_a.public_id])
    # when
    page = client.get(reverse("household_detail", args=[cast.household_a.public_id])).text
    # then: the label's target is the date input inside the move-out form, and only there
    target = re.search(r'<label for="([^"]+)">Utflyttningsdatum', page).group(1)
    move_out_form = re.search(rf'<form[^>]*action="{move_out_url}".*?</form>', page, re.S).group(0)
    assert f'id="{target}"' in move_out_form
    assert page.count(f'id="{target}"') == 1


def test_it_answers_404_to_another_partner(cast, client):
    client.force_login(cast.b_staff)
    response = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    assert response.status_code == 404


def test_it_refuses_a_malformed_identity_number_in_swedish(cast, client):
    # given
    person = cast.household_a.persons.first()
    client.force_login(cast.a_staff)
    url = reverse("person_edit", args=[person.public_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(swedish_id_number="19811218-9875", birth_date="1985-05-17", sex="female")
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 200
    assert "kontrollsiffran" in response.text.lower()
    person.refresh_from_db()
    assert person.swedish_id_number == ""


def test_it_saves_a_valid_identity_number_and_shows_it_masked(cast, client):
    # given
    person = cast.household_a.persons.order_by("birth_date").first()
    client.force_login(cast.a_staff)
    url = reverse("person_edit", args=[person.public_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(swedish_id_number="811218-9876", birth_date="1985-05-17", sex="female",
                languages="uk, ru")  # fmt: skip
    # when
    response = client.post(url, data, follow=True)
    # then
    person.refresh_from_db()
    assert person.swedish_id_number == "198112189876"
    assert "19811218-****" in response.text
    assert "9876" not in shown_text(response).replace("19811218-****", "")


def test_it_searches_households_by_name_for_the_right_partner_only(cast, client):
    client.force_login(cast.a_staff)
    assert "H-A" in client.get(reverse("household_list"), {"q": "Shevchenko"}).text
    client.force_login(cast.b_staff)
    assert "H-A" not in client.get(reverse("household_list"), {"q": "Shevchenko"}).text


def test_it_links_a_residents_page_to_consent_services_and_coupons(cast, client):
    # given partner A's staff
    client.force_login(cast.a_staff)
    # when the page of the household living at site A is opened
    html = client.get(reverse("household_detail", args=[cast.household_a.public_id])).content
    # then it leads to the household's consent and referrals, services and a new coupon
    for url in (
        reverse("referral_household", args=[cast.household_a.public_id]),
        reverse("resident_page", args=[cast.household_a.public_id]),
        f"{reverse('coupon_issue')}?household={cast.household_a.public_id}",
    ):
        assert url.encode() in html


def test_it_finds_a_household_by_its_reference_as_every_list_shows_it(cast, client):
    # given: a household living at partner A, known by the reference on every list
    household = HouseholdFactory(reference="H-2022-0042")
    PersonFactory(household=household, first_name="Ірина", last_name="Коваль",
                  first_name_latin="Iryna", last_name_latin="Koval")  # fmt: skip
    allocation_place(actor=cast.coordinator, allocation=AllocationFactory(household=household),
                     unit=cast.unit_a, on=dt.date(2022, 8, 1))  # fmt: skip
    client.force_login(cast.a_staff)
    # when: staff search by the reference, typed as shown or in lower case
    found = [client.get(reverse("household_list"), {"q": q}).text
             for q in ("H-2022-0042", " h-2022-0042 ")]  # fmt: skip
    # then: its persons are found, with the household's link
    for page in found:
        assert "Koval" in page
        assert reverse("household_detail", args=[household.public_id]) in page
    # and partner B's staff still find nothing
    client.force_login(cast.b_staff)
    assert "Koval" not in client.get(reverse("household_list"), {"q": "H-2022-0042"}).text


def test_it_shows_a_persons_languages_by_name(cast, client):
    # given: persons whose languages are kept as codes ("uk", "ru")
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("household_detail", args=[cast.household_a.public_id])).text
    # then: the languages are named in Swedish, and no cell holds the bare codes
    assert "<td>ukrainska, ryska</td>" in page
    assert "<td>uk, ru</td>" not in page


def test_it_tells_the_coordinator_that_a_waiting_household_lives_nowhere_yet(cast, client):
    # given: the household of the pending allocation, which lives nowhere yet
    household = cast.allocation_pending.household
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("household_detail", args=[household.public_id])).text
    # then: the coordinator, who sees every unit, is not told about "your" units
    assert "Hushållet bor inte i någon enhet just nu." in page
    assert "era enheter" not in page
