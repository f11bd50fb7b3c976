"""No lost updates (issue 15, ``core.versions``): two people open the same household, person,
monthly report or host; the first saves; the second's save is refused, saying who changed it,
when and what, and keeps what they typed; saving again keeps theirs, knowingly."""

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tillsammans.core.factories import member
from tillsammans.finance.models import CompensationRate, MonthlyReport, RateKind, Scheme
from tillsammans.finance.services import report_start
from tillsammans.hosting.models import Host
from tillsammans.hosting.services import programme_create
from tillsammans.hosting.tests.conftest import register
from tillsammans.partnership.models import Agreement, Role
from tillsammans.people.models import Household


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _as_posted(response) -> dict[str, str]:
    """What the browser would send back from the page's form, unchanged."""
    data: dict[str, str] = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value is False or field.field.disabled:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[field.html_name] = str(value)
    return data


def _race(url, first, second, first_change, second_change):
    """Both open the form; the first saves; the second saves from the page they opened, then
    again from the page they were shown."""
    opened_first, opened_second = first.get(url), second.get(url)
    saved = first.post(url, {**_as_posted(opened_first), **first_change})
    refused = second.post(url, {**_as_posted(opened_second), **second_change})
    return saved, refused


def _refusal(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def _again(client, url, refused, change):
    return client.post(url, {**_as_posted(refused), **change})


def test_a_household_saved_meanwhile_is_not_overwritten(cast):
    url = reverse("household_edit", args=[cast.household_a.public_id])
    coordinator, staff = _client(cast.coordinator), _client(cast.a_staff)
    # when the coordinator marks the household as needing an accessible home, then partner A's
    # staff, from the form opened before, saves that it has pets
    saved, refused = _race(url, coordinator, staff, {"needs_accessible": "on"}, {"has_pets": "on"})
    # then the second save is refused, saying who changed what, and keeps what was typed
    assert saved.status_code == 302 and refused.status_code == 200
    message = _refusal(refused)
    assert cast.coordinator.email in message and "ändrade" in message
    assert "tillgängligt" in message.lower() or "behöver" in message.lower()
    assert refused.context["form"]["has_pets"].value() is True
    household = Household.objects.get(pk=cast.household_a.pk)
    assert household.needs_accessible and not household.has_pets
    # and saving again from that page keeps the staff's version, knowingly
    assert _again(staff, url, refused, {}).status_code == 302
    assert Household.objects.get(pk=cast.household_a.pk).has_pets


def test_a_person_saved_meanwhile_is_not_overwritten(cast):
    person = cast.household_a.persons.order_by("birth_date").first()
    url = reverse("person_edit", args=[person.public_id])
    coordinator, staff = _client(cast.coordinator), _client(cast.a_staff)
    saved, refused = _race(
        url, coordinator, staff, {"languages": "uk, sv"}, {"name_swedish": "Olena Sjevtjenko"}
    )
    assert saved.status_code == 302 and refused.status_code == 200
    assert cast.coordinator.email in _refusal(refused)
    assert refused.context["form"]["name_swedish"].value() == "Olena Sjevtjenko"
    person.refresh_from_db()
    assert person.languages == ["uk", "sv"] and person.name_swedish != "Olena Sjevtjenko"
    assert _again(staff, url, refused, {}).status_code == 302
    person.refresh_from_db()
    assert person.name_swedish == "Olena Sjevtjenko"


def test_a_monthly_report_saved_meanwhile_is_not_overwritten(cast):
    agreement = Agreement.objects.create(name="IOP", starts_on=dt.date(2022, 3, 1))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    CompensationRate.objects.create(
        agreement=agreement, scheme=Scheme.PARTNER, kind=RateKind.ADULT_NIGHT,
        amount=Decimal(300), valid_from=agreement.starts_on,
    )  # fmt: skip
    report = report_start(actor=cast.b_staff, year=2022, month=9)
    url = reverse("report_edit", args=[report.public_id])
    colleague = member(cast.org_b, Role.PARTNER_STAFF, "b-colleague@example.org")
    other, staff = _client(colleague), _client(cast.b_staff)
    saved, refused = _race(url, other, staff, {"cost_staff": "12 000"}, {"cost_food": "3 500,50"})
    assert saved.status_code == 302 and refused.status_code == 200
    assert colleague.email in _refusal(refused)
    report = MonthlyReport.objects.get(pk=report.pk)
    assert report.cost_staff == Decimal(12000) and report.cost_food == 0
    assert _again(staff, url, refused, {}).status_code == 302
    report = MonthlyReport.objects.get(pk=report.pk)
    # (the whole form as the staff had it: the colleague's figure too, as the message warned)
    assert report.cost_food == Decimal("3500.50") and report.cost_staff == 0


def test_a_host_saved_meanwhile_is_not_overwritten(cast):
    programme = programme_create(actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum")
    host = register(cast, programme)
    url = reverse("host_edit", args=[host.public_id])
    admin, staff = _client(cast.a_admin), _client(cast.a_staff)
    saved, refused = _race(url, admin, staff, {"phone": "070-111 11 11"}, {"rooms": "2"})
    assert saved.status_code == 302 and refused.status_code == 200
    assert cast.a_admin.email in _refusal(refused)
    host = Host.objects.get(pk=host.pk)
    assert host.phone == "070-111 11 11" and host.rooms == 1
    assert _again(staff, url, refused, {}).status_code == 302
    assert Host.objects.get(pk=host.pk).rooms == 2
