"""The referral pages as each side sees them: only the consented content, only if addressed."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tillsammans.addedvalues.models import Delivery
from tillsammans.core.factories import OrganisationFactory, member
from tillsammans.core.models import AuditEvent
from tillsammans.partnership.models import Role
from tillsammans.reception.services import stay_end
from tillsammans.referrals.models import Consent, ConsentScope, Referral, ReferralStatus
from tillsammans.referrals.services import consent_withdraw, referral_accept, referral_send

from .conftest import make_service, record_consent


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _client(client, user):
    client.force_login(user)
    english(client)
    return client


def test_it_shows_partner_b_only_the_consented_content_of_a_referral_addressed_to_it(
    cast, client, olena, service_b
):
    # given: name and reason shared; languages and health not
    olena.languages = ["uk", "ru"]
    olena.save()
    record_consent(cast, scopes=[ConsentScope.NAME_CONTACT, ConsentScope.REASON])
    referral = referral_send(
        actor=cast.a_staff, person=olena, service=service_b, reason="Söker praktik"
    )
    # when
    page = _client(client, cast.b_staff).get(reverse("referral_detail", args=[referral.public_id]))
    household = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert "Олена Шевченко" in text
    assert "Söker praktik" in text
    assert "UK, RU" not in text
    assert "Mariia" not in text  # the other member of the household was not shared
    assert household.status_code == 404
    assert AuditEvent.objects.filter(
        actor=cast.b_staff, action="view", object_id=str(olena.public_id)
    ).exists()


def test_it_shows_partner_b_nothing_of_a_referral_not_addressed_to_it(
    cast, client, olena, service_b
):
    # given: a referral from A to C
    other = OrganisationFactory(short_name="C")
    consent = record_consent(cast, scopes=[ConsentScope.REASON], partners=[other])
    referral = referral_send(
        actor=cast.a_staff,
        person=olena,
        service=make_service(other, "Hälsoteam C"),
        consent=consent,
        reason="Hälsokoll",
    )
    client = _client(client, cast.b_staff)
    # when
    page = client.get(reverse("referral_detail", args=[referral.public_id]))
    inbox = client.get(reverse("referral_home"))
    sent = client.get(reverse("referral_home") + "?box=sent")
    # then
    assert page.status_code == 404
    assert str(referral.public_id) not in inbox.content.decode()
    assert str(referral.public_id) not in sent.content.decode()


def test_it_lists_a_referral_in_the_receivers_inbox_and_the_senders_sent_list(
    cast, client, olena, service_b, consent
):
    # given
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b)
    # when
    inbox = _client(client, cast.b_staff).get(reverse("referral_home"))
    sent = _client(client, cast.a_staff).get(reverse("referral_home") + "?box=sent")
    a_inbox = client.get(reverse("referral_home"))
    # then
    assert [r.pk for r in inbox.context["page"]] == [referral.pk]
    assert inbox.context["waiting"] == 1
    assert [r.pk for r in sent.context["page"]] == [referral.pk]
    assert list(a_inbox.context["page"]) == []


def test_it_refuses_to_send_without_consent_with_a_clear_message(cast, client, olena, service_b):
    # given
    client = _client(client, cast.a_staff)
    url = reverse("referral_create", args=[cast.household_a.public_id])
    # when
    form_page = client.get(url)
    response = client.post(
        url,
        {"person": str(olena.public_id), "service": str(service_b.public_id), "reason": "Jobb"},
    )
    # then
    assert 'data-testid="no-consent"' in form_page.content.decode()
    assert response.status_code == 200
    assert "no consent in force" in response.content.decode()
    assert not Referral.objects.exists()


def test_it_records_a_consent_and_sends_a_referral_through_the_pages(
    cast, client, olena, service_b
):
    # given
    client = _client(client, cast.a_staff)
    household = cast.household_a.public_id
    # when
    recorded = client.post(
        reverse("consent_create", args=[household]),
        {
            "person": str(olena.public_id),
            "scopes": [ConsentScope.NAME_CONTACT, ConsentScope.LANGUAGES],
            "partners": [cast.org_b.slug],
            "given_on": "2022-08-01",
            "explained_in": "ru",
        },
    )
    sent = client.post(
        reverse("referral_create", args=[household]),
        {"person": str(olena.public_id), "service": str(service_b.public_id)},
    )
    # then
    consent = Consent.objects.get()
    referral = Referral.objects.get()
    assert recorded.status_code == 302
    assert consent.person == olena and consent.explained_in == "ru"
    assert sent.status_code == 302 and sent["Location"].endswith(f"/{referral.public_id}/")
    assert referral.consent == consent
    page = client.get(reverse("referral_household", args=[household]))
    assert str(referral.public_id) in page.content.decode()


def test_it_shows_that_a_referral_existed_but_not_its_content_after_withdrawal(
    cast, client, olena, service_b, consent
):
    # given
    referral = referral_send(
        actor=cast.a_staff, person=olena, service=service_b, reason="Söker praktik"
    )
    referral_accept(actor=cast.b_staff, referral=referral)
    # when: the resident withdraws the consent through the page
    withdrawn = _client(client, cast.a_staff).post(
        reverse("consent_withdraw", args=[consent.public_id]),
        {"on": timezone.localdate().isoformat()},
    )
    page = _client(client, cast.b_staff).get(reverse("referral_detail", args=[referral.public_id]))
    # then
    assert withdrawn.status_code == 302
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="content-hidden"' in text
    assert "Шевченко" not in text and "Söker praktik" not in text
    assert 'data-status="closed"' in text
    assert 'data-testid="mark-done"' not in text


def test_it_lets_partner_b_accept_and_mark_done_through_the_pages(
    cast, client, olena, service_b, consent
):
    # given
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b)
    client = _client(client, cast.b_staff)
    # when
    client.post(reverse("referral_accept", args=[referral.public_id]))
    client.post(
        reverse("referral_done", args=[referral.public_id]),
        {"on": timezone.localdate().isoformat(), "note": "Första mötet"},
    )
    sender = _client(client, cast.a_staff).get(
        reverse("referral_detail", args=[referral.public_id])
    )
    # then
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    assert referral.delivery == Delivery.objects.get()
    assert 'data-status="done"' in sender.content.decode()


def test_it_shows_a_refusal_as_a_message_not_an_error(cast, client, olena, service_b, consent):
    # given: a declined referral cannot be accepted
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b)
    client = _client(client, cast.b_staff)
    client.post(reverse("referral_decline", args=[referral.public_id]), {"reason": "Fullt"})
    # when
    response = client.post(reverse("referral_accept", args=[referral.public_id]), follow=True)
    empty = client.post(
        reverse("referral_done", args=[referral.public_id]), {"on": ""}, follow=True
    )
    # then
    assert response.status_code == 200
    assert "no longer waiting" in response.content.decode()
    assert empty.status_code == 200


def test_it_answers_a_third_partner_with_the_same_404_as_a_missing_referral(
    cast, client, olena, service_b, consent
):
    # given
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b)
    client = _client(client, member(OrganisationFactory(), Role.PARTNER_STAFF))
    # when
    theirs = client.get(reverse("referral_detail", args=[referral.public_id]))
    missing = client.get(reverse("referral_detail", args=["00000000-0000-4000-8000-000000000000"]))
    posted = client.post(reverse("referral_accept", args=[referral.public_id]))
    # then
    assert theirs.status_code == missing.status_code == posted.status_code == 404
    assert theirs.content == missing.content


def test_it_finds_a_resident_to_start_from(cast, client):
    # when
    page = _client(client, cast.a_staff).get(reverse("referral_home") + "?q=Olena")
    other = _client(client, cast.b_staff).get(reverse("referral_home") + "?q=Olena")
    # then
    assert [p.first_name_latin for p in page.context["persons"]] == ["Olena"]
    assert list(other.context["persons"]) == []


def test_it_closes_referrals_when_the_consent_is_withdrawn_in_the_past(
    cast, olena, service_b, consent
):
    # given
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b)
    # when: the withdrawal is recorded a few days late
    consent_withdraw(
        actor=cast.a_staff, consent=consent, on=timezone.localdate() - dt.timedelta(days=2)
    )
    # then
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED


def test_it_offers_other_partners_services_for_residents_only(cast, client, service_a, service_b):
    # given: partner B also runs a joint training for staff
    training = make_service(cast.org_b, "Utbildning om människohandel", "staff_training")
    # when
    page = _client(client, cast.a_staff).get(
        reverse("referral_create", args=[cast.household_a.public_id])
    )
    # then
    offered = list(page.context["form"].fields["service"].queryset)
    assert offered == [service_b]
    assert training not in offered and service_a not in offered


def test_it_shows_the_pages_in_ukrainian(cast, client, olena, service_b, consent):
    # given
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b, reason="Jobb")
    client.force_login(cast.b_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    # when
    detail = client.get(reverse("referral_detail", args=[referral.public_id]))
    inbox = client.get(reverse("referral_home"))
    # then
    assert "Направлення" in detail.content.decode()
    assert "Очікує відповіді" in inbox.content.decode()


def test_it_shows_the_sender_the_status_but_not_the_copy_once_the_resident_moved_away(
    cast, client, olena, service_b, consent
):
    # given: a referral, and then the household leaves partner A's site
    referral = referral_send(actor=cast.a_staff, person=olena, service=service_b, reason="Jobb")
    stay_end(actor=cast.a_staff, stay=cast.stay_a, on=timezone.localdate(), reason="own_housing")
    # when
    page = _client(client, cast.a_staff).get(reverse("referral_detail", args=[referral.public_id]))
    # then
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="sent"' in text
    assert 'data-testid="content-hidden"' in text
    assert "Шевченко" not in text
