"""Who works in Hjärterum: the programme organisation's staff and admins register, vet and
follow up hosts (the host-home officers); its admins and the coordinator also pay the rent;
no one else sees a host."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tillsammans.core.errors import PermissionDenied
from tillsammans.core.models import AuditAction, AuditEvent
from tillsammans.hosting.models import Host
from tillsammans.housing.models import Site, SiteKind
from tillsammans.housing.services import site_create

from .conftest import register

HOST_FORM = {
    "name": "Karin Holm", "address": "Exempelgatan 2", "district": "Centrum", "rooms": 1,
    "beds": 2, "available_from": "2022-08-01", "languages": "sv, en", "prefers": "any",
    "rent_basis": "home", "monthly_rent": 4000,
}  # fmt: skip


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_lets_the_programmes_staff_register_vet_and_follow_up_a_host(cast, programme):
    # given partner A's staff, who work in partner A's host-home programme
    client = _client(cast.a_staff)
    # when they register a host on the page
    response = client.post(reverse("host_register"), {"programme": programme.pk, **HOST_FORM})
    # then the host's home is a host-home site of partner A, and they land on the host's page
    host = Host.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("host_detail", args=[host.public_id])
    assert host.unit.site.organisation == cast.org_a
    assert host.unit.site.kind == SiteKind.HOST_HOME
    assert AuditEvent.objects.filter(
        actor=cast.a_staff, action=AuditAction.CREATE, object_id=str(host.public_id)
    ).exists()
    # when they record the home visit, the identity and the reference, and a follow-up
    for step in ("home_visit", "identity", "reference"):
        client.post(
            reverse("host_vet", args=[host.public_id, step]),
            {f"{step}-on": "2022-08-02", f"{step}-notes": "Bra"},
        )
    client.post(
        reverse("host_follow_up", args=[host.public_id]),
        {"on": "2022-09-10", "with_whom": "both", "concerns": "Inga"},
    )
    # then the home is vetted by them and the follow-up is on record
    host.refresh_from_db()
    assert host.vetted and host.home_visit_by == cast.a_staff
    assert host.follow_ups.get().concerns == "Inga"


def test_it_lets_the_programmes_staff_change_a_hosts_offer(cast, programme):
    # given a registered host
    host = register(cast, programme, beds=3)
    # when partner A's staff lower the beds offered
    response = _client(cast.a_staff).post(
        reverse("host_edit", args=[host.public_id]), {**HOST_FORM, "beds": 2}
    )
    # then the home follows
    assert response.status_code == 302
    assert host.unit.beds.count() == 2


@pytest.mark.parametrize("outsider", ["a_viewer", "b_staff"])
def test_it_gives_anyone_outside_the_programme_the_page_missing_404(cast, programme, outsider):
    # given partner A's viewer, or the staff of partner B, which runs no programme
    user = getattr(cast, outsider)
    client = _client(user)
    # when
    page = client.get(reverse("host_register"))
    posted = client.post(reverse("host_register"), {"programme": programme.pk, **HOST_FORM})
    # then
    assert page.status_code == posted.status_code == 404
    assert not Host.objects.exists()
    with pytest.raises(PermissionDenied):
        register(cast, programme, actor=user)


def test_it_still_keeps_ordinary_sites_for_the_partners_admins(cast, programme):
    # given partner A's staff, who may register host homes
    client = _client(cast.a_staff)
    # when they try to add an ordinary site
    page = client.get(reverse("site_create"))
    # then the page and the service refuse, as before
    assert page.status_code == 404
    with pytest.raises(PermissionDenied):
        site_create(actor=cast.a_staff, organisation=cast.org_a, name="Nytt boende",
                    kind=SiteKind.COLLECTIVE_SELF, district="Centrum",
                    opens_on=dt.date(2022, 8, 1))  # fmt: skip
    assert not Site.objects.filter(name="Nytt boende").exists()
