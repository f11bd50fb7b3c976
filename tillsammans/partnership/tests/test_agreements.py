"""Agreements as the coordinator writes them: period, parties joining and leaving on dates,
targets on dates, signed documents; and the partner's own part."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests import agreements
from tillsammans.core.models import AuditEvent, StoredFile
from tillsammans.partnership.models import Agreement, AgreementDocument, Party


def test_it_creates_an_agreement_with_the_city_as_first_party_and_its_first_target(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.post(
        reverse("agreement_create"),
        {
            "name": "Mottagande av ensamkommande barn",
            "starts_on": "2015-03-01",
            "ends_on": "2016-12-31",
            "places": "100",
            "purpose": "Ett långsiktigt hållbart Göteborg för nyanlända barn och unga.",
            "shared_values": "Barnkonventionen.",
        },
        follow=True,
    )
    # then
    agreement = Agreement.objects.get(name="Mottagande av ensamkommande barn")
    assert response.redirect_chain[-1][0] == agreement.get_absolute_url()
    assert [p.organisation for p in agreement.party_set.all()] == [cast.city]
    assert agreement.coordinator == cast.city
    assert agreement.target_places_on(dt.date(2015, 6, 1)) == 100
    assert "Barnkonventionen." in response.text
    assert AuditEvent.objects.filter(object_id=str(agreement.public_id)).exists()


def test_it_refuses_an_agreement_that_ends_before_it_starts_and_creates_nothing(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.post(
        reverse("agreement_create"),
        {"name": "Bakvänt", "starts_on": "2016-01-01", "ends_on": "2015-01-01"},
    )
    # then
    assert "Avtalet kan inte sluta innan det börjar." in response.text
    assert not Agreement.objects.filter(name="Bakvänt").exists()


def test_a_party_joins_mid_period_and_the_target_doubles_from_a_date(cast, client):
    # given an agreement of the city and partner A
    objects = agreements.make(cast, "IOP 2015", [cast.org_a])
    agreement = objects.agreement
    client.force_login(cast.coordinator)
    # when partner B joins on 1 March 2023 and the places go to 1 200 from then
    client.post(
        reverse("party_add", args=[agreement.public_id]),
        {"organisation": cast.org_b.pk, "joined_on": "2023-03-01", "contribution": "Läxhjälp"},
    )
    client.post(
        reverse("target_add", args=[agreement.public_id]),
        {"valid_from": "2023-03-01", "places": "1 200"},
    )
    # then
    party = Party.objects.get(agreement=agreement, organisation=cast.org_b)
    assert party.joined_on == dt.date(2023, 3, 1)
    assert not party.active_on(dt.date(2023, 2, 28))
    assert agreement.target_places_on(dt.date(2023, 2, 28)) == 1000
    assert agreement.target_places_on(dt.date(2023, 3, 1)) == 1200
    page = client.get(agreement.get_absolute_url()).text
    assert "2023-03-01" in page and "Läxhjälp" in page


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (
            "target_add",
            {"valid_from": "2021-12-31", "places": "100"},
            "Målets datum ligger utanför avtalets period",
        ),
        (
            "party_add",
            {"joined_on": "2021-01-01"},
            "Dagen för anslutningen ligger utanför avtalets period",
        ),
    ],
)
def test_it_refuses_a_date_outside_the_agreement_with_a_message(cast, client, url, data, message):
    # given an agreement from 1 March 2022
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.coordinator)
    if url == "party_add":
        data = data | {"organisation": cast.org_b.pk}
    before = (agreement.targets.count(), agreement.party_set.count())
    # when
    response = client.post(reverse(url, args=[agreement.public_id]), data, follow=True)
    # then
    assert message in response.text
    assert (agreement.targets.count(), agreement.party_set.count()) == before


def test_it_refuses_a_party_leaving_before_it_joined(cast, client):
    # given
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.coordinator)
    # when
    response = client.post(
        reverse("party_edit", args=[agreement.public_id, cast.org_a.slug]),
        {"joined_on": "2022-06-01", "left_on": "2022-05-01", "contribution": ""},
    )
    # then
    assert "En part kan inte lämna innan den anslöt." in response.text
    assert Party.objects.get(agreement=agreement, organisation=cast.org_a).left_on is None


def test_a_party_that_left_no_longer_takes_part_but_its_history_stays(cast, client):
    # given
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.coordinator)
    # when
    client.post(
        reverse("party_edit", args=[agreement.public_id, cast.org_a.slug]),
        {"joined_on": "2022-03-01", "left_on": "2022-12-31", "contribution": "Boende"},
    )
    # then
    party = Party.objects.get(agreement=agreement, organisation=cast.org_a)
    assert party.active_on(dt.date(2022, 12, 31))
    assert not party.active_on(dt.date(2023, 1, 1))


def test_a_partner_admin_writes_its_own_contribution_but_not_its_dates(cast, client):
    # given
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.a_admin)
    # when
    client.post(
        reverse("party_edit", args=[agreement.public_id, cast.org_a.slug]),
        {"joined_on": "2022-09-09", "contribution": "Språkcafé varje tisdag"},
    )
    # then
    party = Party.objects.get(agreement=agreement, organisation=cast.org_a)
    assert party.contribution == "Språkcafé varje tisdag"
    assert party.joined_on == dt.date(2022, 3, 1)


def test_a_shorter_period_that_would_strand_a_target_is_refused(cast, client):
    # given an agreement with a target from 1 October 2022
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.coordinator)
    # when the period is cut to end in September
    response = client.post(
        reverse("agreement_edit", args=[agreement.public_id]),
        {"name": "IOP", "starts_on": "2022-03-01", "ends_on": "2022-09-30"},
    )
    # then
    assert "ligger utanför den nya perioden" in response.text
    agreement.refresh_from_db()
    assert agreement.ends_on is None


def test_the_signed_agreement_is_uploaded_and_read_back_as_it_was(cast, client):
    # given
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.coordinator)
    signed = agreements.PDF + b"signed by all parties"
    # when
    client.post(
        reverse("document_add", args=[agreement.public_id]),
        {
            "kind": "signed",
            "title": "Undertecknat avtal",
            "file": SimpleUploadedFile("avtal.pdf", signed, content_type="application/pdf"),
        },
    )
    document = AgreementDocument.objects.get(agreement=agreement, kind="signed")
    answer = client.get(reverse("document_file", args=[agreement.public_id, document.public_id]))
    # then
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content == signed
    assert "avtal.pdf" in answer["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("avtal.pdf", b"MZ\x90\x00 a program", "Filen är inte en PDF-, PNG- eller JPEG-fil."),
        ("avtal.pdf", agreements.PDF + b"x" * 3000, "gränsen är 2,0"),
    ],
)
@override_settings(DOCUMENT_MAX_BYTES=2048)
def test_it_refuses_a_file_that_is_not_a_document_or_is_too_large(
    cast, client, name, content, message
):
    # given
    agreement = agreements.make(cast, "IOP", [cast.org_a]).agreement
    client.force_login(cast.coordinator)
    before = StoredFile.objects.count()
    # when
    response = client.post(
        reverse("document_add", args=[agreement.public_id]),
        {"kind": "annex", "title": "Bilaga", "file": SimpleUploadedFile(name, content)},
    )
    # then
    assert message in response.text
    assert StoredFile.objects.count() == before


def test_a_partner_admin_adds_only_its_own_annex(cast, client):
    # given an agreement with partners A and B
    agreement = agreements.make(cast, "IOP", [cast.org_a, cast.org_b]).agreement
    client.force_login(cast.a_admin)
    upload = SimpleUploadedFile("b.pdf", agreements.PDF)
    # when partner A's admin tries to add B's annex
    response = client.post(
        reverse("document_add", args=[agreement.public_id]),
        {"kind": "partner_annex", "organisation": cast.org_b.pk, "file": upload},
    )
    # then
    assert response.status_code == 200
    assert not agreement.documents.filter(organisation=cast.org_b).exists()


def test_removing_a_target_asks_first(cast, client):
    # given
    objects = agreements.make(cast, "IOP", [cast.org_a])
    client.force_login(cast.coordinator)
    url = reverse("target_delete", args=[objects.agreement.public_id, objects.target.pk])
    # when
    question = client.get(url)
    # then nothing is removed until the question is answered
    assert "Ta bort målet om 1000 platser från 2022-10-01?" in question.text
    assert objects.agreement.targets.filter(pk=objects.target.pk).exists()
    client.post(url)
    assert not objects.agreement.targets.filter(pk=objects.target.pk).exists()


def test_a_partner_sees_only_the_agreements_its_organisation_is_party_to(cast, client):
    # given
    agreements.shared(cast)
    agreements.theirs(cast)
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("agreement_list")).text
    # then
    assert "Delat avtal" in page
    assert "B:s avtal" not in page


def test_a_coordinator_of_a_municipality_not_party_writes_nothing_in_the_agreement(cast):
    # given another municipality's coordinator, and an agreement it is not party to
    from tillsammans.core.errors import PermissionDenied
    from tillsammans.core.factories import OrganisationFactory, member
    from tillsammans.partnership import agreement_services

    other = OrganisationFactory(name="Mölndals stad", slug="molndal", kind="municipality")
    outsider = member(other, "coordinator", "samordnare@molndal.example")
    party = agreements.make(cast, "IOP", [cast.org_a]).agreement.party_set.get(
        organisation=cast.org_a
    )
    # when / then: the service refuses, whatever page it is called from
    with pytest.raises(PermissionDenied):
        agreement_services.party_update(actor=outsider, party=party, contribution="Inte vårt")


def test_an_ended_agreement_shows_the_places_it_ended_with(cast, client):
    # given an agreement of 100 places from 2015, 200 from 2016, that ended in 2016
    from tillsammans.partnership.models import AgreementTarget

    agreement = Agreement.objects.create(
        name="Ensamkommande", starts_on=dt.date(2015, 3, 1), ends_on=dt.date(2016, 12, 31)
    )
    agreement.parties.add(cast.city, through_defaults={"joined_on": agreement.starts_on})
    AgreementTarget.objects.create(agreement=agreement, valid_from=agreement.starts_on, places=100)
    AgreementTarget.objects.create(agreement=agreement, valid_from=dt.date(2016, 3, 1), places=200)
    client.force_login(cast.coordinator)
    # when its page is opened
    page = client.get(reverse("agreement_page", args=[agreement.public_id])).content.decode()
    # then it does not claim places "today", but the 200 it ended with
    assert "Överenskomna platser vid avtalets slut" in page
    assert "i dag" not in page.split("<dl")[1].split("</dl>")[0]
