"""The coordinator registers the partnership's organisations."""

import pytest
from django.urls import reverse

from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditEvent
from tillsammans.partnership.models import Organisation, OrganisationKind
from tillsammans.partnership.services import organisation_create

NEW = {
    "name": "Fryshuset Göteborg",
    "short_name": "Fryshuset",
    "kind": OrganisationKind.NONPROFIT,
    "organisation_number": "8020024280",
    "website": "",
}


def test_it_registers_an_organisation_with_its_number_written_the_usual_way(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.post(reverse("organisation_create"), NEW, follow=True)
    # then: registered, audited, and the coordinator is taken to its users to add the first
    organisation = Organisation.objects.get(name="Fryshuset Göteborg")
    assert organisation.organisation_number == "802002-4280"
    assert response.redirect_chain[-1][0] == reverse("member_list", args=[organisation.slug])
    assert "Fryshuset Göteborg är registrerad" in response.text
    assert AuditEvent.objects.filter(
        summary="organisation Fryshuset Göteborg registered, organisation number 802002-4280"
    ).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"organisation_number": "802002-4281"},
            "Organisationsnumrets kontrollsiffra stämmer inte",
        ),
        ({"organisation_number": "19121212-1212"}, "tio siffror"),
        ({"name": "Partner A"}, "En organisation med det namnet är redan registrerad."),
    ],
)
def test_it_refuses_a_wrong_number_or_a_taken_name_in_swedish_and_adds_nothing(
    cast, client, change, message
):
    # given
    client.force_login(cast.coordinator)
    before = Organisation.objects.count()
    # when
    response = client.post(reverse("organisation_create"), {**NEW, **change})
    # then
    assert response.status_code == 200
    assert message in response.text
    assert Organisation.objects.count() == before


def test_it_refuses_a_number_already_registered(cast):
    # given
    organisation_create(actor=cast.coordinator, **NEW)
    # when / then
    with pytest.raises(ServiceError) as error:
        organisation_create(actor=cast.coordinator, **{**NEW, "name": "Fryshuset igen"})
    assert error.value.code == "number_taken"


def test_it_lets_only_the_coordinator_register(cast):
    with pytest.raises(PermissionDenied):
        organisation_create(actor=cast.a_admin, **NEW)
    assert not Organisation.objects.filter(name=NEW["name"]).exists()
