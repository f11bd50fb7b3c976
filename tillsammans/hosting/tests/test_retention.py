"""Retention of host homes (issue 15, ADR 38): a host who no longer offers a home is
anonymised five years after the last entry about them; a host still in the programme, or
still hosting, is kept; the rents and payments stay."""

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tillsammans.core.models import AuditEvent
from tillsammans.hosting import retention
from tillsammans.hosting.models import FollowUp, Host, HostAnswer, HostingAgreement, HostRent
from tillsammans.hosting.services import agreement_end, follow_up_record
from tillsammans.reception.models import Stay

from .conftest import agree, register, vet

pytestmark = pytest.mark.django_db


def _age(host: Host, years: float) -> None:
    """Make every row about ``host`` look written ``years`` ago."""
    at = timezone.now() - dt.timedelta(days=365.25 * years)
    Host.objects.filter(pk=host.pk).update(updated_at=at)
    for model in (HostAnswer, HostingAgreement, FollowUp):
        model.objects.filter(host=host).update(updated_at=at)
    Stay.objects.filter(unit=host.unit).update(updated_at=at)


def _former_host(cast: Any, programme: Any, new_household: Any) -> Host:
    """A host who hosted a family in 2019, wrote down a concern, and stopped offering in 2020."""
    host = vet(cast, register(cast, programme, available_from=dt.date(2019, 1, 1)))
    agreement = agree(cast, host, new_household("H-GÄST"), dt.date(2019, 2, 1))
    follow_up_record(
        actor=cast.a_staff, host=host, on=dt.date(2019, 3, 1), with_whom="both",
        concerns="Gästerna oroliga för sonen Mykola",
    )  # fmt: skip
    agreement_end(
        actor=cast.a_staff, agreement=agreement, on=dt.date(2019, 7, 1), reason="returned",
        notes="Familjen Bondarenko åkte hem",
    )  # fmt: skip
    Host.objects.filter(pk=host.pk).update(available_until=dt.date(2020, 1, 1))
    _age(host, 6)
    return Host.objects.get(pk=host.pk)


def test_a_former_host_is_anonymised_and_the_rents_stay(cast, programme, new_household):
    # given a host who stopped offering their home six years ago
    host = _former_host(cast, programme, new_household)
    rents = list(HostRent.objects.filter(host=host).values_list("valid_from", "monthly_rent"))
    # when retention runs
    report = retention.run(dry_run=False)
    # then their name, contact, address, vetting notes and the words about the hosting are gone
    host.refresh_from_db()
    assert (host.name, host.phone, host.email, host.address) == ("Anonymiserad", "", "", "")
    assert (host.home_visit_notes, host.identity_notes, host.reference_notes) == ("", "", "")
    assert host.anonymised_at is not None
    assert FollowUp.objects.get(host=host).concerns == ""
    assert HostingAgreement.objects.get(host=host).end_notes == ""
    assert report.rows == {"hosting.FollowUp.concerns": 1, "hosting.HostingAgreement.end_notes": 1}
    # and the district, the beds and the rents stay
    assert host.district == "Majorna-Linné" and host.unit.beds.count() == 3
    assert list(HostRent.objects.filter(host=host).values_list("valid_from", "monthly_rent")) == (
        rents
    )
    # and the run is audited host by host and with its counts; a second run does nothing
    events = AuditEvent.objects.filter(object_type="hosting.host", object_id=str(host.public_id))
    assert events.filter(summary__startswith="host anonymised").count() == 1
    assert AuditEvent.objects.filter(
        object_type="hosting.retention", summary="retention run: 1 hosts anonymised, 0 kept"
    ).exists()
    assert retention.run(dry_run=False).hosts == 0


def test_a_host_still_offering_or_still_hosting_is_kept_however_old(cast, programme, new_household):
    # given a host with no last day, and one whose guests still live in the home though its
    # agreement ran out in 2019 with no end recorded, both untouched for six years
    offering = vet(cast, register(cast, programme, available_from=dt.date(2019, 1, 1)))
    hosting = vet(cast, register(cast, programme, available_from=dt.date(2019, 1, 1)))
    guests = new_household("H-BOR")
    agree(cast, hosting, guests, dt.date(2019, 2, 1), dt.date(2019, 8, 1))
    Stay.objects.create(household=guests, unit=hosting.unit, started_on=dt.date(2019, 2, 1))
    Host.objects.filter(pk=hosting.pk).update(available_until=dt.date(2020, 1, 1))
    _age(offering, 6)
    _age(hosting, 6)
    # then the plan keeps both, saying why, and the run changes neither
    reasons = {d.host.pk: (d.anonymise, d.reason) for d in retention.plan()}
    assert reasons == {
        offering.pk: (False, "the home is still offered"),
        hosting.pk: (False, "a hosting has not ended"),
    }
    retention.run(dry_run=False)
    assert set(Host.objects.values_list("name", flat=True)) == {"Anna och Erik Lind"}


def test_a_recent_entry_about_a_former_host_keeps_them(cast, programme, new_household):
    # given the former host, with a follow-up written four years ago
    host = _former_host(cast, programme, new_household)
    FollowUp.objects.filter(host=host).update(
        updated_at=timezone.now() - dt.timedelta(days=4 * 365)
    )
    # then they are not yet due
    assert retention.plan() == []


def test_the_command_lists_hosts_by_their_home_and_changes_nothing_in_a_dry_run(
    cast, programme, new_household, capsys
):
    host = _former_host(cast, programme, new_household)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"{host.unit.site.name}\t" in out and "\tanonymise\tno entry for 5 years" in out
    assert "1 hosts would be anonymised, 0 kept. Nothing was changed." in out
    assert "Anna och Erik Lind" not in out
    host.refresh_from_db()
    assert host.name == "Anna och Erik Lind"


def test_the_five_years_run_from_the_last_day_offered_not_from_the_last_write(
    cast, programme, new_household
):
    # given a host registered six years ago with a last day set then, two years ago
    host = vet(cast, register(cast, programme, available_from=dt.date(2019, 1, 1)))
    two_years_ago = timezone.localdate() - dt.timedelta(days=2 * 365)
    Host.objects.filter(pk=host.pk).update(available_until=two_years_ago)
    _age(host, 6)
    # then the host is not due: five years have not passed since the home was last offered
    assert retention.plan() == []
    # and once seven years have passed since that day, the host is due
    later = timezone.localdate() + dt.timedelta(days=5 * 366)
    assert [(d.host.pk, d.anonymise) for d in retention.plan(later)] == [(host.pk, True)]
