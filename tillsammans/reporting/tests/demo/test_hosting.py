"""The demo's Hjärterum: hosts for the host homes, vetted before their first guest, an
agreement for every stay, follow-ups, and rent paid for the autumn of 2022."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillsammans.hosting.models import FollowUp, Host, HostingAgreement, RentMonth
from tillsammans.partnership.models import Membership, Role
from tillsammans.placement.services import proposal_accept, proposal_create
from tillsammans.reception.models import Stay


def test_it_has_a_vetted_host_and_a_signed_agreement_behind_every_hosting(loaded, db):
    # given the demo
    hosts = list(Host.objects.select_related("unit__site__organisation", "programme"))
    # then: every host home of Räddningsmissionen has a host, most of them vetted
    assert len(hosts) > 30
    assert {h.programme.organisation.slug for h in hosts} == {"raddningsmissionen"}
    assert sum(h.vetted for h in hosts) > 0.8 * len(hosts)
    # and: every stay in a host home came after the vetting, with an agreement covering it
    for stay in Stay.objects.filter(unit__host__isnull=False).select_related("unit__host"):
        host = stay.unit.host
        assert host.vetted and host.reference_on < stay.started_on
        assert HostingAgreement.objects.filter(
            host=host, household=stay.household, starts_on=stay.started_on
        ).exists()
    assert FollowUp.objects.count() > 20


def test_it_paid_rent_for_the_autumn_of_2022(loaded, db):
    # given the demo
    months = {(m.year, m.month): m for m in RentMonth.objects.all()}
    # then: September to November are paid, each with the hosts that had guests
    assert set(months) == {(2022, 9), (2022, 10), (2022, 11)}
    for paid in months.values():
        assert paid.payments.count() > 10
        assert all(payment.amount > 0 for payment in paid.payments.all())


def test_it_shows_the_demo_officer_the_hosts_and_the_paid_october(loaded, db):
    # given: the demo's host-home officer of Räddningsmissionen
    officer = Membership.objects.get(
        organisation__slug="raddningsmissionen", role=Role.PARTNER_STAFF
    ).user
    client = Client()
    client.force_login(officer)
    host = Host.objects.filter(agreements__isnull=False).first()
    # when / then: the overview, a host's page and October's rent all answer
    assert client.get(reverse("hosting_home")).status_code == 200
    assert client.get(reverse("host_detail", args=[host.public_id])).status_code == 200
    rent = client.get(reverse("rent_month"), {"month": "2022-10"})
    assert rent.status_code == 200 and 'data-testid="rent-line"' in rent.content.decode()
    assert 'class="badge accepted"' in rent.content.decode()


def test_it_proposes_on_the_demo_only_places_that_accepting_takes(loaded, db):
    # given: the demo, with vetted host homes that have room but no agreement for anyone
    coordinator = Membership.objects.filter(role=Role.COORDINATOR).first().user
    empty_homes = Host.objects.exclude(unit__stays__ended_on__isnull=True)
    assert any(host.vetted for host in empty_homes)
    # when: the coordinator proposes places for every pending allocation and accepts them all
    proposal = proposal_create(actor=coordinator, on=timezone.localdate())
    outcome = proposal_accept(actor=coordinator, proposal=proposal)
    # then: every proposed place was taken, and none was a host home without an agreement
    assert outcome.accepted and not outcome.failed
    assert len(outcome.accepted) == proposal.items.exclude(unit=None).count()
    assert not proposal.items.filter(unit__host__in=empty_homes).exists()
