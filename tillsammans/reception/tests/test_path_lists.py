"""The legal path's work lists (issue 14): each list holds exactly the people its rule names,
for the partner and site chosen, and downloads as XLSX."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tillsammans.core.models import AuditEvent
from tillsammans.people.models import PathEventKind
from tillsammans.people.services import path_event_record
from tillsammans.reception.models import AllocationStatus
from tillsammans.reception.path_lists import PathList, never_arrived, work_lists
from tillsammans.reception.services import allocation_set_status

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _persons(cast):
    olena, mariia = cast.household_a.persons.order_by("id")
    return olena, mariia


def _record(cast, person, kind, on, **extra):
    return path_event_record(actor=cast.coordinator, person=person, kind=kind, on=on, **extra)


def _lists(cast, user=None, **filters):
    from tillsammans.core import access

    return work_lists(access.visible_persons(user or cast.coordinator), TODAY, **filters)


def _names(rows):
    return [row.person.first_name_latin for row in rows]


def test_it_lists_a_permit_ending_within_60_days_until_an_extension_is_applied_for(cast):
    # given Olena's permit ends in 30 days, Mariia's in 90
    olena, mariia = _persons(cast)
    _record(
        cast, olena, PathEventKind.PERMIT_GRANTED, TODAY - 300 * DAY, valid_until=TODAY + 30 * DAY
    )
    _record(
        cast, mariia, PathEventKind.PERMIT_GRANTED, TODAY - 300 * DAY, valid_until=TODAY + 90 * DAY
    )
    # then only Olena's is on the list, with the day it ends
    rows = _lists(cast)[PathList.EXPIRING]
    assert [(r.person, r.day) for r in rows] == [(olena, TODAY + 30 * DAY)]
    # when she applies for the extension, she is off it
    _record(cast, olena, PathEventKind.EXTENSION_APPLIED, TODAY)
    assert _lists(cast)[PathList.EXPIRING] == []


def test_it_lists_a_permit_that_ran_out_with_no_application_while_the_person_lives_here(cast):
    # given Olena's permit ended five days ago, with no application
    olena, _mariia = _persons(cast)
    _record(
        cast, olena, PathEventKind.PERMIT_GRANTED, TODAY - 400 * DAY, valid_until=TODAY - 5 * DAY
    )
    # then she is on the list as run out, on its last day
    [row] = _lists(cast)[PathList.EXPIRING]
    assert (row.person, row.day, row.lapsed) == (olena, TODAY - 5 * DAY, True)


def test_it_lists_those_who_can_be_registered_next_month_and_those_past_the_four_weeks(cast):
    # given Mariia's first permit a year before the 10th of next month, Olena's two years ago
    olena, mariia = _persons(cast)
    next_month = (TODAY.replace(day=1) + 32 * DAY).replace(day=10)
    year_before = next_month.replace(year=next_month.year - 1)
    _record(cast, mariia, PathEventKind.PERMIT_GRANTED, year_before, valid_until=TODAY + 300 * DAY)
    _record(
        cast, olena, PathEventKind.PERMIT_GRANTED, TODAY - 730 * DAY, valid_until=TODAY + 300 * DAY
    )
    # then
    lists = _lists(cast)
    assert [(r.person, r.day) for r in lists[PathList.ELIGIBLE]] == [(mariia, next_month)]
    assert _names(lists[PathList.OVERDUE]) == ["Olena"]
    # when Olena is registered, she leaves the overdue list for the registered-but-housed one
    _record(cast, olena, PathEventKind.REGISTERED, TODAY, identity_number="19850517-1234")
    lists = _lists(cast)
    assert lists[PathList.OVERDUE] == []
    assert [(r.person, r.day) for r in lists[PathList.REGISTERED]] == [(olena, TODAY)]


def test_it_shows_each_partner_only_its_residents_and_filters_by_site(cast):
    # given Olena's permit ends soon
    olena, _mariia = _persons(cast)
    _record(
        cast, olena, PathEventKind.PERMIT_GRANTED, TODAY - 300 * DAY, valid_until=TODAY + 10 * DAY
    )
    # then partner A sees her, partner B does not; site B's filter shows nobody
    assert _names(_lists(cast, cast.a_staff)[PathList.EXPIRING]) == ["Olena"]
    assert _lists(cast, cast.b_staff)[PathList.EXPIRING] == []
    assert _lists(cast, site_id=cast.site_b.pk)[PathList.EXPIRING] == []
    assert _names(_lists(cast, organisation_id=cast.org_a.pk)[PathList.EXPIRING]) == ["Olena"]


def test_it_lists_allocations_nobody_arrived_for_until_the_coordinator_says_so(cast):
    # given a pending allocation expected three weeks ago, with nobody moved in
    allocation = cast.allocation_pending
    allocation.expected_arrival = TODAY - 21 * DAY
    allocation.allocated_on = TODAY - 30 * DAY
    allocation.save()
    # then it is on the coordinator's list
    assert [r.allocation for r in never_arrived(TODAY)] == [allocation]
    # when the coordinator records that they never arrived
    allocation_set_status(
        actor=cast.coordinator, allocation=allocation, status=AllocationStatus.NEVER_ARRIVED,
        reason="Kom aldrig till boendet",
    )  # fmt: skip
    # then it is off the list, and each person's path ends with it
    assert never_arrived(TODAY) == []
    person = allocation.household.persons.get()
    assert person.path_events.get().kind == PathEventKind.NEVER_ARRIVED


def test_a_household_marked_never_arrived_that_turns_up_is_reopened_and_placed(cast, client):
    from tillsammans.people.path import path_of
    from tillsammans.reception.services import allocation_place

    # given an allocation marked "never arrived"
    allocation = cast.allocation_pending
    allocation_set_status(
        actor=cast.coordinator, allocation=allocation, status=AllocationStatus.NEVER_ARRIVED,
        reason="Kom aldrig till boendet",
    )  # fmt: skip
    person = allocation.household.persons.get()
    client.force_login(cast.coordinator)
    url = reverse("allocation_detail", args=[allocation.public_id])
    assert "Hushållet kom ändå" in client.get(url).content.decode()
    # when the coordinator reopens it, saying why
    response = client.post(
        reverse("allocation_reopen", args=[allocation.public_id]),
        {"reason": "Kom till mottagningen den 3 mars"},
    )
    # then it is pending again, and the person's "never arrived" is withdrawn with the reason
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.PENDING
    standing = list(person.path_events.standing())
    assert standing == []
    withdrawal = person.path_events.get(withdrawn=True)
    assert withdrawal.note == "Kom till mottagningen den 3 mars"
    assert path_of(list(person.path_events.standing())).reception_ends_on is None
    person.refresh_from_db()
    assert person.path_ends_on is None
    # and the household can be placed
    stay = allocation_place(
        actor=cast.coordinator, allocation=allocation, unit=cast.unit_a, on=TODAY
    )
    assert stay.household == allocation.household
    # and a pending allocation cannot be "reopened"
    again = client.post(
        reverse("allocation_reopen", args=[allocation.public_id]), {"reason": "igen"}, follow=True
    )
    assert "Bara en anvisning vars hushåll aldrig kom kan öppnas igen." in again.content.decode()


def test_only_the_coordinator_reopens_an_allocation_and_a_partner_gets_404(cast, client):
    allocation = cast.allocation_pending
    allocation_set_status(
        actor=cast.coordinator, allocation=allocation, status=AllocationStatus.NEVER_ARRIVED,
        reason="Kom aldrig",
    )  # fmt: skip
    client.force_login(cast.a_admin)
    response = client.post(
        reverse("allocation_reopen", args=[allocation.public_id]), {"reason": "x"}
    )
    assert response.status_code == 404
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.NEVER_ARRIVED


def test_it_downloads_a_list_as_xlsx_and_audits_the_persons_named(cast, client):
    # given Olena's permit ends soon
    olena, _mariia = _persons(cast)
    _record(
        cast, olena, PathEventKind.PERMIT_GRANTED, TODAY - 300 * DAY, valid_until=TODAY + 10 * DAY
    )
    client.force_login(cast.a_staff)
    # when the list is downloaded
    response = client.get(reverse("path_list", args=["expiring"]), {"format": "xlsx"})
    # then the sheet names her, her site and the day, and the read is audited
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0].startswith("Олена Шевченко") and rows[1][3] == "Site A"
    assert rows[1][5].date() == TODAY + 10 * DAY
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, action="view", object_id=str(olena.public_id)
    ).exists()
    # and the page shows the list with its count
    page = client.get(reverse("path_list", args=["expiring"])).text
    assert "(1)" in page and "Шевченко" in page


def test_a_long_list_is_made_by_the_worker_for_what_its_maker_sees_when_it_is_made(cast, client):
    from django.test import override_settings

    from tests.background import job_of, run_worker
    from tillsammans.reception.models import Stay

    # given both permits end soon, and partner A's staff asks for the list when lists of two
    # rows or more go to the worker
    olena, mariia = _persons(cast)
    for person in (olena, mariia):
        _record(
            cast, person, PathEventKind.PERMIT_GRANTED, TODAY - 300 * DAY,
            valid_until=TODAY + 10 * DAY,
        )  # fmt: skip
    client.force_login(cast.a_staff)
    with override_settings(ROWS_IN_BACKGROUND_FROM=2):
        job = job_of(client.get(reverse("path_list", args=["expiring"]), {"format": "xlsx"}))
    # then nobody's reading is audited until the worker writes it
    assert not AuditEvent.objects.filter(object_id=str(olena.public_id), action="view").exists()
    # when the household moves to partner B's site before the worker gets to it
    Stay.objects.filter(household=cast.household_a).update(unit=cast.unit_b)
    run_worker()
    job.refresh_from_db()
    # then the list made is of what partner A's staff sees then: nobody, and nobody is read
    assert job.status == "done"
    sheet = load_workbook(io.BytesIO(client.get(reverse("job_file", args=[job.public_id])).content))
    assert list(sheet.active.iter_rows(min_row=2, values_only=True)) == []
    assert not AuditEvent.objects.filter(object_id=str(olena.public_id), action="view").exists()
    # and partner B's staff cannot fetch partner A's file
    client.force_login(cast.b_staff)
    assert client.get(reverse("job_file", args=[job.public_id])).status_code == 404


def test_the_never_arrived_download_has_the_pages_columns(cast, client):
    # given a pending allocation expected three weeks ago, with nobody moved in
    allocation = cast.allocation_pending
    allocation.expected_arrival = TODAY - 21 * DAY
    allocation.allocated_on = TODAY - 30 * DAY
    allocation.save()
    client.force_login(cast.coordinator)
    # when the coordinator downloads the list
    response = client.get(reverse("path_list", args=["never_arrived"]), {"format": "xlsx"})
    # then its columns are the page's: the allocation, the household, the day expected
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Anvisning", "Hushåll", "Väntades komma")
    assert rows[1][:2] == (allocation.reference, allocation.household.reference)
    assert rows[1][2].date() == TODAY - 21 * DAY


def test_a_registration_in_the_past_is_not_called_overdue(cast, client):
    # given Olena registered in the population register a month ago, still living here
    olena, _mariia = _persons(cast)
    _record(
        cast, olena, PathEventKind.PERMIT_GRANTED, TODAY - 730 * DAY, valid_until=TODAY + 300 * DAY
    )
    _record(
        cast, olena, PathEventKind.REGISTERED, TODAY - 30 * DAY, identity_number="19850517-1234"
    )
    client.force_login(cast.coordinator)
    # when the coordinator opens the list of the registered
    page = client.get(reverse("path_list", args=["registered"])).text
    # then her row shows the day she registered, with no "overdue" badge
    assert "Шевченко" in page and "försenat" not in page
