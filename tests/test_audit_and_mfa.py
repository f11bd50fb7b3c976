"""Reads of a person leave an audit event; the log is append-only; coordinators need TOTP."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from tillsammans.core.audit import audit_record
from tillsammans.core.models import AuditAction, AuditEvent, AuditLogError

PASSWORD = "correct horse battery"


def _an_event(cast):
    return audit_record(
        actor=cast.a_staff, action=AuditAction.VIEW, obj=cast.household_a, summary="household page"
    )


def test_it_records_who_read_a_household_page(cast, client_as):
    # given
    client = client_as("a_staff")
    before = AuditEvent.objects.count()
    # when
    response = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    # then: the household and each of its persons
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1 + cast.household_a.persons.count()
    event = AuditEvent.objects.get(object_type="people.household")
    assert event.action == AuditAction.VIEW
    assert event.actor == cast.a_staff
    assert event.actor_email == cast.a_staff.email
    assert event.organisation_name == cast.org_a.name
    assert event.object_type == "people.household"
    assert event.object_id == str(cast.household_a.public_id)


def test_it_records_no_read_when_the_household_is_not_shown(cast, client_as):
    # given
    client = client_as("b_staff")
    before = AuditEvent.objects.count()
    # when
    response = client.get(reverse("household_detail", args=[cast.household_a.public_id]))
    # then
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_it_refuses_to_change_an_audit_event(cast):
    # given
    event = _an_event(cast)
    event.summary = "nothing to see"
    # when / then
    with pytest.raises(AuditLogError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).summary == "household page"


def test_it_refuses_to_delete_an_audit_event(cast):
    # given
    event = _an_event(cast)
    # when / then
    with pytest.raises(AuditLogError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_sends_a_coordinator_without_totp_to_the_totp_set_up(settings, cast, client_as):
    # given
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    client = client_as("coordinator")
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_it_keeps_a_coordinator_without_totp_away_from_people_and_the_api(
    settings, cast, client_as
):
    # given
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    client = client_as("coordinator")
    urls = [
        reverse("household_detail", args=[cast.household_a.public_id]),
        reverse("allocation_list"),
        reverse("api:get_household", kwargs={"household_id": cast.household_a.public_id}),
    ]
    # when
    answers = [client.get(url) for url in urls]
    # then
    for url, response in zip(urls, answers, strict=True):
        assert response.status_code == 302, url
        assert response.headers["Location"] == reverse("mfa_activate_totp"), url


def test_it_leads_a_coordinator_from_the_password_login_to_the_totp_set_up(settings, cast):
    # given
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    client = Client()
    client.post(reverse("account_login"), {"login": cast.coordinator.email, "password": PASSWORD})
    # when
    dashboard = client.get(reverse("dashboard"), follow=True)
    # allauth asks for the password once more before a new authenticator is added.
    set_up = client.post(dashboard.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    # then
    assert dashboard.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert set_up.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert set_up.status_code == 200
    assert "totp_url" in set_up.context


@pytest.mark.parametrize("role", ["a_admin", "a_staff", "a_viewer", "b_staff"])
def test_it_lets_partner_users_in_without_totp(settings, cast, client_as, role):
    # given
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    client = client_as(role)
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert response.status_code == 200


def test_it_shows_the_dashboard_to_a_coordinator_with_totp(settings, cast, client_as):
    # given
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    TOTP.activate(cast.coordinator, generate_totp_secret())
    client = client_as("coordinator")
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert response.status_code == 200


def test_it_logs_a_coordinator_in_with_password_and_totp_code(settings, cast):
    # given
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    secret = generate_totp_secret()
    TOTP.activate(cast.coordinator, secret)
    client = Client()
    # when
    first = client.post(
        reverse("account_login"), {"login": cast.coordinator.email, "password": PASSWORD}
    )
    second = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    dashboard = client.get(reverse("dashboard"))
    # then
    assert first.status_code == 302
    assert first.headers["Location"] == reverse("mfa_authenticate")
    assert second.status_code == 302
    assert dashboard.status_code == 200
    authenticator = Authenticator.objects.get(user=cast.coordinator)
    assert authenticator.type == Authenticator.Type.TOTP
    assert authenticator.last_used_at is not None


def test_it_refuses_to_change_audit_events_in_bulk(cast):
    # given
    event = AuditEvent.objects.first()
    # when / then
    with pytest.raises(AuditLogError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    event.refresh_from_db()
    assert event.summary != "x"


def test_it_refuses_to_delete_audit_events_in_bulk(cast):
    # given
    count = AuditEvent.objects.count()
    # when / then
    with pytest.raises(AuditLogError):
        AuditEvent.objects.filter(pk=AuditEvent.objects.first().pk).delete()
    assert AuditEvent.objects.count() == count


@pytest.mark.postgresql
def test_it_refuses_raw_sql_changes_on_postgresql(cast):
    # given: the trigger exists on PostgreSQL only (SQLite's test flush uses DELETE)
    assert connection.vendor == "postgresql", "run with DATABASE_URL set to PostgreSQL"
    event = AuditEvent.objects.first()
    # when / then
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
