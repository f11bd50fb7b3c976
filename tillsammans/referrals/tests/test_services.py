"""Consent and referrals through the services: what may be shared, with whom, and when not."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone, translation

from tillsammans.addedvalues.models import Delivery
from tillsammans.core import access
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.factories import OrganisationFactory, member
from tillsammans.core.models import AuditEvent
from tillsammans.partnership.models import Role
from tillsammans.referrals.error_codes import ReferralErrorCode as Code
from tillsammans.referrals.models import Consent, ConsentScope, Referral, ReferralStatus
from tillsammans.referrals.services import (
    consent_withdraw,
    referral_accept,
    referral_cancel,
    referral_decline,
    referral_done,
    referral_send,
)

from .conftest import GIVEN_ON, make_service, record_consent


def _send(cast, person, service, **texts):
    return referral_send(actor=cast.a_staff, person=person, service=service, **texts)


# --- consent -------------------------------------------------------------------------------


def test_it_records_a_consent_with_its_scope_partners_and_language(cast, olena):
    # when
    consent = record_consent(
        cast,
        person=olena,
        scopes=[ConsentScope.REASON, ConsentScope.NAME_CONTACT],
        explained_in="uk",
    )
    # then
    consent.refresh_from_db()
    assert consent.scopes == [ConsentScope.NAME_CONTACT, ConsentScope.REASON]
    assert list(consent.partners.all()) == [cast.org_b]
    assert consent.organisation == cast.org_a
    assert consent.recorded_by == cast.a_staff
    assert consent.explained_in == "uk"
    assert AuditEvent.objects.filter(object_id=str(consent.public_id), action="create").exists()


def test_it_lets_only_the_partner_where_the_household_lives_record_its_consent(cast):
    # when / then
    with pytest.raises(PermissionDenied):
        record_consent(cast, actor=cast.b_staff)
    with pytest.raises(PermissionDenied):
        record_consent(cast, actor=cast.a_viewer)
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scopes": []}, Code.NO_SCOPE),
        ({"partners": []}, Code.NO_PARTNER),
        ({"given_on": dt.date(2999, 1, 1)}, Code.BAD_DATE),
        ({"explained_in": "xx"}, Code.BAD_LANGUAGE),
    ],
)
def test_it_refuses_an_incomplete_consent_with_the_reason(cast, kwargs, code):
    # when
    with pytest.raises(ServiceError) as refused:
        record_consent(cast, **kwargs)
    # then
    assert refused.value.code == code
    assert not Consent.objects.exists()


def test_it_keeps_a_withdrawn_consent_on_record_and_refuses_a_second_withdrawal(cast, consent):
    # when
    consent_withdraw(actor=cast.a_staff, consent=consent, on=GIVEN_ON + dt.timedelta(days=3))
    # then
    consent.refresh_from_db()
    assert consent.withdrawn_on == GIVEN_ON + dt.timedelta(days=3)
    assert consent.withdrawn_by == cast.a_staff
    assert Consent.objects.count() == 1
    with pytest.raises(ServiceError) as again:
        consent_withdraw(actor=cast.a_staff, consent=consent, on=timezone.localdate())
    assert again.value.code == Code.ALREADY_WITHDRAWN


# --- sending -------------------------------------------------------------------------------


def test_it_refuses_a_referral_without_consent(cast, olena, service_b):
    # when
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        _send(cast, olena, service_b, reason="Vill arbeta")
    # then
    assert refused.value.code == Code.NO_CONSENT
    assert "consent" in str(refused.value.message)
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_to_a_partner_the_consent_does_not_name(cast, olena):
    # given: the consent names partner B only
    record_consent(cast)
    other = make_service(OrganisationFactory(short_name="C"), "Hälsoteam C")
    # when
    with pytest.raises(ServiceError) as refused:
        _send(cast, olena, other)
    # then
    assert refused.value.code == Code.NO_CONSENT
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_under_a_withdrawn_consent(cast, olena, service_b, consent):
    # given
    consent_withdraw(actor=cast.a_staff, consent=consent, on=timezone.localdate())
    # when
    with pytest.raises(ServiceError) as refused:
        _send(cast, olena, service_b)
    # then
    assert refused.value.code == Code.NO_CONSENT
    assert not Referral.objects.exists()


def test_it_refuses_a_consent_given_for_another_member(cast, olena, service_b):
    # given: only the daughter consented
    daughter = cast.household_a.persons.exclude(pk=olena.pk).get()
    consent = record_consent(cast, person=daughter)
    # when
    with pytest.raises(ServiceError) as refused:
        referral_send(actor=cast.a_staff, person=olena, service=service_b, consent=consent)
    # then
    assert refused.value.code == Code.NO_CONSENT


def test_it_refuses_information_the_consent_does_not_cover(cast, olena, service_b, consent):
    # when: the consent has no health scope, and staff typed a health note
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        _send(cast, olena, service_b, health_note="Diabetes")
    # then
    assert refused.value.code == Code.CONSENT_NOT_COVERING
    assert "health" in str(refused.value.message)
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_to_the_senders_own_service(cast, olena, service_a, consent):
    # when
    with pytest.raises(ServiceError) as refused:
        _send(cast, olena, service_a)
    # then
    assert refused.value.code == Code.OWN_SERVICE


def test_it_lets_only_the_partner_where_the_resident_lives_refer_them(
    cast, olena, service_b, consent
):
    # when / then: partner B cannot refer partner A's resident, not even to its own service
    with pytest.raises(PermissionDenied):
        referral_send(actor=cast.b_staff, person=olena, service=service_b)
    with pytest.raises(PermissionDenied):
        referral_send(actor=cast.a_viewer, person=olena, service=service_b)


def test_it_copies_only_what_the_consent_covers_and_encrypts_the_copy(
    cast, olena, service_b, consent
):
    # given: name and contact, languages and the reason; no household, no health
    olena.languages = ["uk", "ru"]
    olena.save()
    # when
    referral = _send(cast, olena, service_b, contact="070-123 45 67", reason="Vill arbeta")
    # then
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.to_organisation == cast.org_b
    assert referral.from_organisation == cast.org_a
    assert referral.content["name"] == "Олена Шевченко"
    assert referral.content["contact"] == "070-123 45 67"
    assert referral.content["languages"] == ["uk", "ru"]
    assert referral.content["reason"] == "Vill arbeta"
    assert "household" not in referral.content
    assert "health" not in referral.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM referrals_referral WHERE id = %s", [referral.pk])
        raw = cursor.fetchone()[0]
    assert "Шевченко" not in raw and "Olena" not in raw and "arbeta" not in raw


def test_it_copies_the_household_and_health_needs_when_covered(cast, olena, service_b):
    # given
    cast.household_a.needs_accessible = True
    cast.household_a.save()
    record_consent(cast, scopes=[ConsentScope.HOUSEHOLD, ConsentScope.HEALTH], any_partner=True)
    # when
    referral = _send(cast, olena, service_b, health_note="Behöver hiss")
    # then
    referral.refresh_from_db()
    assert referral.content["household"]["adults"] == 1
    assert len(referral.content["household"]["children_ages"]) == 1
    assert referral.content["health"] == {
        "needs_accessible": True,
        "medical_priority": False,
        "note": "Behöver hiss",
    }
    assert "name" not in referral.content


def test_it_refuses_a_second_open_referral_to_the_same_service(cast, olena, service_b, consent):
    # given
    _send(cast, olena, service_b)
    # when
    with pytest.raises(ServiceError) as refused:
        _send(cast, olena, service_b)
    # then
    assert refused.value.code == Code.ALREADY_REFERRED


def test_it_gives_the_receiver_no_access_to_the_household(cast, olena, service_b, consent):
    # when
    _send(cast, olena, service_b)
    # then
    assert not access.visible_households(cast.b_staff).filter(pk=cast.household_a.pk).exists()
    assert not access.visible_persons(cast.b_staff).filter(pk=olena.pk).exists()


# --- answering -----------------------------------------------------------------------------


def test_it_goes_from_sent_to_accepted_to_done_with_a_linked_delivery(
    cast, olena, service_b, consent
):
    # given
    referral = _send(cast, olena, service_b)
    # when
    referral_accept(actor=cast.b_staff, referral=referral)
    referral_done(actor=cast.b_staff, referral=referral, on=timezone.localdate(), note="CV klart")
    # then
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    assert referral.accepted_by == cast.b_staff and referral.done_by == cast.b_staff
    delivery = Delivery.objects.get()
    assert referral.delivery == delivery
    assert delivery.service == service_b
    assert delivery.organisation == cast.org_b
    assert delivery.household == cast.household_a
    assert delivery.person == olena
    assert delivery.recorded_by == cast.b_staff
    summaries = list(
        AuditEvent.objects.filter(object_id=str(referral.public_id)).values_list(
            "summary", flat=True
        )
    )
    assert "accepted" in summaries
    # the done event names the service, not a raw id of the delivery
    assert any(
        summary.startswith(f"done: {referral.service.name_sv} delivered on")
        for summary in summaries
    )


def test_it_records_the_delivery_without_the_person_when_the_name_was_not_shared(
    cast, olena, service_b
):
    # given
    record_consent(cast, scopes=[ConsentScope.LANGUAGES])
    referral = _send(cast, olena, service_b)
    referral_accept(actor=cast.b_staff, referral=referral)
    # when
    referral_done(actor=cast.b_staff, referral=referral, on=timezone.localdate())
    # then
    delivery = Delivery.objects.get()
    assert delivery.household == cast.household_a
    assert delivery.person is None


def test_it_lets_only_the_partner_addressed_answer(cast, olena, service_b, consent):
    # given
    referral = _send(cast, olena, service_b)
    outsider = member(OrganisationFactory(), Role.PARTNER_STAFF)
    # when / then
    for actor in (cast.a_staff, cast.coordinator, outsider, cast.a_viewer):
        with pytest.raises(PermissionDenied):
            referral_accept(actor=actor, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_it_refuses_to_mark_done_a_referral_not_accepted(cast, olena, service_b, consent):
    # given
    referral = _send(cast, olena, service_b)
    # when
    with pytest.raises(ServiceError) as refused:
        referral_done(actor=cast.b_staff, referral=referral, on=timezone.localdate())
    # then
    assert refused.value.code == Code.NOT_ACCEPTED
    assert not Delivery.objects.exists()


def test_it_refuses_to_accept_twice(cast, olena, service_b, consent):
    # given
    referral = _send(cast, olena, service_b)
    referral_accept(actor=cast.b_staff, referral=referral)
    # when
    with pytest.raises(ServiceError) as refused:
        referral_accept(actor=cast.b_staff, referral=Referral.objects.get(pk=referral.pk))
    # then
    assert refused.value.code == Code.NOT_OPEN


def test_it_declines_only_with_a_reason(cast, olena, service_b, consent):
    # given
    referral = _send(cast, olena, service_b)
    # when
    with pytest.raises(ServiceError) as refused:
        referral_decline(actor=cast.b_staff, referral=referral, reason="  ")
    referral_decline(actor=cast.b_staff, referral=referral, reason="Gruppen är full i höst")
    # then
    assert refused.value.code == Code.NO_REASON
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "Gruppen är full i höst"


def test_it_lets_the_sender_cancel_an_open_referral(cast, olena, service_b, consent):
    # given
    referral = _send(cast, olena, service_b)
    # when
    with pytest.raises(PermissionDenied):
        referral_cancel(actor=cast.b_staff, referral=referral)
    referral_cancel(actor=cast.a_staff, referral=referral)
    # then
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert referral.closed_by == cast.a_staff


# --- withdrawal ----------------------------------------------------------------------------


def test_it_closes_open_referrals_and_erases_every_copy_when_consent_is_withdrawn(
    cast, olena, service_b, consent
):
    # given: one referral done, one waiting
    done = _send(cast, olena, service_b, reason="Jobb")
    referral_accept(actor=cast.b_staff, referral=done)
    referral_done(actor=cast.b_staff, referral=done, on=timezone.localdate())
    waiting = _send(cast, olena, make_service(cast.org_b, "Språkträning B"), reason="Svenska")
    # when
    closed = consent_withdraw(actor=cast.a_staff, consent=consent, on=timezone.localdate())
    # then
    assert [referral.pk for referral in closed] == [waiting.pk]
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.status == ReferralStatus.CLOSED
    assert done.status == ReferralStatus.DONE
    for referral in (done, waiting):
        assert referral.content == {}
        assert referral.is_erased
        assert referral.scopes  # what kind of information it was stays known, not the values
    assert Referral.objects.count() == 2
    with pytest.raises(ServiceError):
        referral_accept(actor=cast.b_staff, referral=waiting)


def test_it_lets_the_partner_of_another_household_not_withdraw(cast, consent):
    # when / then
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=cast.b_staff, consent=consent, on=timezone.localdate())
