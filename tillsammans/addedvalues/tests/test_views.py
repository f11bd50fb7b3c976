"""The pages: the public catalogue, the bulk form, the resident page and the figures."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.page_text import shown_text
from tillsammans.addedvalues.models import Delivery
from tillsammans.addedvalues.services import delivery_record, headcount_record, service_update
from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    PersonFactory,
    UnitFactory,
)
from tillsammans.core.models import AuditEvent
from tillsammans.reception.services import allocation_place
from tillsammans.reporting.demo import SURNAMES

from . import bulk


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_it_shows_residents_the_catalogue_in_ukrainian_without_a_login(
    cast, client, language_cafe, food_bag
):
    # when
    page = client.get(reverse("public_services"))
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "uk"
    assert '<html lang="uk" dir="ltr">' in html
    assert "Мовне кафе" in html and "Продуктовий набір" in html
    assert "вівторок, четвер" in html and "17:00–19:00" in html
    assert "Partner A" in html


def test_it_switches_the_public_page_to_swedish_and_english(cast, client, language_cafe):
    # when
    swedish = client.get(reverse("public_services"), {"lang": "sv"}).content.decode()
    english_page = client.get(reverse("public_services"), {"lang": "en"}).content.decode()
    # then
    assert "Språkcafé" in swedish and "tisdag, torsdag" in swedish.lower()
    assert "Language café" in english_page and "Tuesday, Thursday" in english_page


# What the public page and its service cards say in the product's own words (the services'
# own names come from their organisations).
PUBLIC_WORDS = [
    "Help and meeting places in Gothenburg", "Skip to content", "Categories", "Where", "When",
    "Languages", "For", "Anyone", "Residents of the partnership only", "Food", "Tuesday",
    "Thursday", "free of charge",
]  # fmt: skip


def test_it_shows_the_public_page_in_arabic_right_to_left(cast, client, language_cafe, food_bag):
    # given a service with its Arabic name
    language_cafe.name_ar = "مقهى اللغة"
    language_cafe.save(update_fields=["name_ar"])
    # when a resident chooses Arabic
    page = client.get(reverse("public_services"), {"lang": "ar"})
    # then the page is in Arabic, laid out right to left, with no English words of ours left
    html = page.content.decode()
    assert page["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in html
    # the weekdays are listed with the Arabic comma, not a Latin one
    assert "مقهى اللغة" in html and "الثلاثاء، الخميس" in html
    assert "المساعدة وأماكن اللقاء في يوتبوري" in html
    assert [word for word in PUBLIC_WORDS if word in html] == []


def test_it_keeps_the_public_page_free_of_the_visitors_session(cast, client, language_cafe):
    # given: a logged-in member opens the public page
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("public_services"))
    # then: nothing of the user, no CSRF token, no cookie set; shared caches may keep it
    html = page.content.decode()
    assert cast.a_staff.email not in html
    assert "csrfmiddlewaretoken" not in html
    assert not page.cookies
    assert "public" in page["Cache-Control"]


def test_it_shows_a_change_to_the_catalogue_at_once_despite_the_cache(cast, client, language_cafe):
    # given
    client.get(reverse("public_services"))
    # when
    service_update(actor=cast.a_admin, service=language_cafe, name_uk="Розмовний клуб")
    page = client.get(reverse("public_services")).content.decode()
    # then
    assert "Розмовний клуб" in page


def test_it_leaves_unpublished_services_off_the_public_page(cast, client, language_cafe):
    # given
    service_update(actor=cast.a_admin, service=language_cafe, is_published=False)
    # when
    page = client.get(reverse("public_services")).content.decode()
    # then
    assert "Мовне кафе" not in page


def test_it_records_thirty_attendees_in_one_submission(cast, client, language_cafe):
    # given: thirty residents of partner B come to partner A's language café
    hall = UnitFactory(site=cast.site_b, name="B-hall", beds=30)
    persons = []
    for number, surname in enumerate(SURNAMES[10:40]):
        household = HouseholdFactory(reference=f"H-{number:02d}")
        persons.append(
            PersonFactory(household=household, last_name=surname, last_name_latin=surname)
        )
        allocation_place(
            actor=cast.coordinator,
            allocation=AllocationFactory(household=household),
            unit=hall,
            on=dt.date(2022, 8, 1),
        )
    client.force_login(cast.a_staff)
    page = bulk.preview(client, language_cafe, "\n".join(str(person) for person in persons))
    # when
    response = client.post(bulk.url(language_cafe), bulk.confirmation(page))
    # then
    assert response.status_code == 302
    assert Delivery.objects.filter(service=language_cafe).count() == 30


def test_it_finds_several_names_at_once_and_audits_each_person_shown(
    cast, client, language_cafe, household_b
):
    # given
    client.force_login(cast.a_staff)
    english(client)
    # when
    page = bulk.preview(client, language_cafe, "Kovalenko\nШевченко")
    # then
    html = page.content.decode()
    assert "Ірина Коваленко" in html and "Олена Шевченко" in html
    shown = AuditEvent.objects.filter(actor=cast.a_staff, object_type="people.person")
    assert shown.count() == 3


def test_it_explains_a_refusal_on_the_bulk_form_and_records_nothing(cast, client, food_bag):
    # given: both of the household's persons on the list of a once-a-week food bag
    client.force_login(cast.a_staff)
    english(client)
    page = bulk.preview(client, food_bag, "Olena Shevchenko\nMariia Shevchenko")
    # when
    response = client.post(bulk.url(food_bag), bulk.confirmation(page))
    # then
    assert response.status_code == 200
    assert "Nothing was recorded" in response.content.decode()
    assert "at most 1 within 7 days" in response.content.decode()
    assert not Delivery.objects.exists()


def test_it_asks_for_a_confirmation_when_the_limit_only_warns(cast, client, lunch):
    # given
    delivery_record(
        actor=cast.a_staff, service=lunch, household=cast.household_a, on=timezone.localdate()
    )
    client.force_login(cast.a_staff)
    english(client)
    url = reverse("resident_page", args=[cast.household_a.public_id])
    data = {"service": lunch.public_id, "on": timezone.localdate().isoformat(), "quantity": 1}
    # when
    warned = client.post(url, data)
    confirmed = client.post(url, data | {"confirm": "on"})
    # then
    assert "Confirm to record anyway" in warned.content.decode()
    assert 'name="confirm"' in warned.content.decode()
    assert confirmed.status_code == 302
    assert Delivery.objects.filter(service=lunch).count() == 2


def test_it_never_shows_a_partner_the_deliveries_or_notes_of_another(
    cast, client, food_bag, household_b
):
    # given: partner A gave household A a food bag, with a note
    delivery_record(
        actor=cast.a_staff,
        service=food_bag,
        household=cast.household_a,
        on=timezone.localdate(),
        note="Behöver glutenfritt",
    )
    client.force_login(cast.b_staff)
    # when: partner B opens the same household's page
    page = client.get(reverse("resident_page", args=[cast.household_a.public_id]))
    # then: the names and birth years, nothing of partner A's
    shown = shown_text(page)
    assert "Олена Шевченко" in shown
    assert "Matkasse" not in shown and "glutenfritt" not in shown
    assert "Site A" not in shown and "A1" not in shown


def test_it_shows_the_provider_its_own_deliveries_on_the_resident_page(cast, client, food_bag):
    # given
    delivery_record(
        actor=cast.a_staff,
        service=food_bag,
        household=cast.household_a,
        on=timezone.localdate(),
        note="Behöver glutenfritt",
    )
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("resident_page", args=[cast.household_a.public_id]))
    # then
    html = page.content.decode()
    assert "Matkasse" in html and "glutenfritt" in html
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, object_id=str(cast.household_a.public_id), action="view"
    ).exists()


def test_it_answers_another_partners_delivery_with_the_same_404_as_none(cast, client, food_bag):
    # given
    delivery = delivery_record(
        actor=cast.a_staff, service=food_bag, household=cast.household_a, on=timezone.localdate()
    )
    client.force_login(cast.b_staff)
    # when
    theirs = client.post(reverse("delivery_delete", args=[delivery.public_id]))
    missing = client.post(reverse("delivery_delete", args=["00000000-0000-4000-8000-000000000000"]))
    # then
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert Delivery.objects.filter(pk=delivery.pk).exists()


def test_it_shows_a_viewer_the_figures_and_no_person(cast, client, lunch, food_bag):
    # given
    today = timezone.localdate()
    headcount_record(actor=cast.a_staff, service=lunch, on=today, count=40)
    delivery_record(actor=cast.a_staff, service=food_bag, household=cast.household_a, on=today)
    client.force_login(cast.a_viewer)
    english(client)
    # when
    page = client.get(reverse("addedvalues_figures"), {"month": today.strftime("%Y-%m")})
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "Visitors counted without names" in html and "40" in html
    assert "Шевченко" not in html and "H-A" not in html


def test_it_answers_a_bad_month_with_a_message(cast, client):
    # given
    client.force_login(cast.a_viewer)
    english(client)
    # when
    page = client.get(reverse("addedvalues_figures"), {"month": "2022-13"})
    # then
    assert page.status_code == 200
    assert "Enter a month as YYYY-MM" in page.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "0000-01", "9999-12"])
def test_it_answers_a_month_outside_the_range_with_a_message_for_every_role(cast, client, month):
    for user in (cast.coordinator, cast.a_admin, cast.a_staff, cast.a_viewer, cast.b_staff):
        # given
        client.force_login(user)
        english(client)
        # when
        page = client.get(reverse("addedvalues_figures"), {"month": month})
        # then: this month's figures, and why the month asked for is not shown
        assert page.status_code == 200
        assert "Enter a month between 2000-01 and " in page.content.decode()


def test_it_adds_the_other_apps_figures_per_partner(cast, client, monkeypatch):
    # given: the coupons app reports five coupons issued by partner A this month
    from tillsammans.coupons import selectors as coupons

    monkeypatch.setattr(
        coupons, "monthly_figures", lambda year, month: {cast.org_a.pk: {"coupons_issued": 5}}
    )
    client.force_login(cast.a_viewer)
    english(client)
    # when
    page = client.get(reverse("addedvalues_figures"))
    # then
    rows = {label: (values, total) for label, values, total in page.context["rows"]}
    partner_a = [org.pk for org in page.context["organisations"]].index(cast.org_a.pk)
    assert rows["Coupons issued"][0][partner_a] == 5
    assert rows["Coupons issued"][1] == 5


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("delivery_bulk", "get"),
        ("delivery_bulk", "post"),
        ("service_edit", "get"),
        ("headcount_record", "post"),
    ],
)
def test_it_answers_another_partners_service_with_the_same_404_as_none(
    name, method, cast, client, lunch
):
    # given
    client.force_login(cast.b_staff)
    # when
    theirs = getattr(client, method)(reverse(name, args=[lunch.public_id]))
    missing = getattr(client, method)(reverse(name, args=[uuid.uuid4()]))
    # then
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
