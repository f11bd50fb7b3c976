"""People join by an e-mailed invitation that expires; admins change their users' roles and
deactivate them; a deactivated user cannot log in."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillsammans.core.models import AuditEvent, User
from tillsammans.partnership.models import Invitation, Membership, Role

INVITE = {
    "email": "Ny.Medarbetare@Partner-A.example",
    "first_name": "Ny",
    "last_name": "Medarbetare",
    "role": Role.PARTNER_STAFF,
}


def _link(message) -> str:
    return next(line for line in message.body.splitlines() if "/invitations/" in line).strip()


def test_a_partner_admin_invites_a_user_who_accepts_and_is_logged_in(cast, client):
    # given partner A's admin
    client.force_login(cast.a_admin)
    # when they invite a colleague
    response = client.post(reverse("member_list", args=[cast.org_a.slug]), INVITE, follow=True)
    # then a mail in Swedish and English carries a link to choose a password
    assert "En inbjudan är e-postad till ny.medarbetare@partner-a.example" in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.medarbetare@partner-a.example"]
    assert "Partner A" in message.subject
    assert "Välj ditt lösenord" in message.body and "Choose your password" in message.body
    # and when the colleague opens it and chooses a password
    newcomer = Client()
    path = _link(message).replace("http://testserver", "")
    page = newcomer.get(path)
    assert "Partner A" in page.text
    accepted = newcomer.post(
        path, {"password1": "lång-fras-om-vinter", "password2": "lång-fras-om-vinter"}
    )
    # then they work for partner A as staff, logged in, and the link is spent
    assert accepted.status_code == 302
    user = User.objects.get(email="ny.medarbetare@partner-a.example")
    assert user.membership.organisation == cast.org_a
    assert user.membership.role == Role.PARTNER_STAFF
    assert newcomer.get(reverse("dashboard")).status_code == 200
    again = Client().get(path)
    assert again.status_code == 410 and "har använts" in again.text
    assert AuditEvent.objects.filter(summary__contains="accepted").exists()


def test_an_expired_invitation_cannot_be_used(cast, client):
    # given an invitation sent eight days ago
    client.force_login(cast.a_admin)
    client.post(reverse("member_list", args=[cast.org_a.slug]), INVITE)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    path = _link(mail.outbox[0]).replace("http://testserver", "")
    newcomer = Client()
    # when
    page = newcomer.get(path)
    refused = newcomer.post(
        path, {"password1": "lång-fras-om-vinter", "password2": "lång-fras-om-vinter"}
    )
    # then
    assert page.status_code == 410
    assert "har gått ut eller dragits tillbaka" in page.text
    assert refused.status_code == 410
    assert not User.objects.filter(email="ny.medarbetare@partner-a.example").exists()


def test_a_made_up_link_is_the_same_404_as_any_missing_page(db, client):
    # when
    response = client.get(reverse("invitation_accept", args=["x" * 43]))
    # then
    assert response.status_code == 404


def test_an_invitation_to_an_address_already_a_member_is_refused(cast, client):
    # given
    client.force_login(cast.coordinator)
    # when
    response = client.post(
        reverse("member_list", args=[cast.org_a.slug]), INVITE | {"email": "A-Staff@example.org"}
    )
    # then
    assert "Det finns redan en användare med den e-postadressen." in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_partner_admin_cannot_invite_a_coordinator_or_into_another_organisation(cast, client):
    # given
    client.force_login(cast.a_admin)
    # when
    coordinator = client.post(
        reverse("member_list", args=[cast.org_a.slug]), INVITE | {"role": Role.COORDINATOR}
    )
    elsewhere = client.post(reverse("member_list", args=[cast.org_b.slug]), INVITE)
    # then
    assert coordinator.status_code == 200 and not Invitation.objects.exists()
    assert elsewhere.status_code == 404


def test_a_second_invitation_withdraws_the_first(cast, client):
    # given
    client.force_login(cast.a_admin)
    url = reverse("member_list", args=[cast.org_a.slug])
    client.post(url, INVITE)
    first = _link(mail.outbox[0]).replace("http://testserver", "")
    # when
    client.post(url, INVITE | {"role": Role.VIEWER})
    # then only the second link works
    assert Client().get(first).status_code == 410
    second = _link(mail.outbox[1]).replace("http://testserver", "")
    assert Client().get(second).status_code == 200


def test_passwords_that_differ_or_are_weak_are_refused_and_nothing_is_created(cast, client):
    # given
    client.force_login(cast.a_admin)
    client.post(reverse("member_list", args=[cast.org_a.slug]), INVITE)
    path = _link(mail.outbox[0]).replace("http://testserver", "")
    newcomer = Client()
    # when
    differ = newcomer.post(path, {"password1": "lång-fras-om-vinter", "password2": "annan-fras"})
    weak = newcomer.post(path, {"password1": "password", "password2": "password"})
    # then
    assert "De två lösenorden skiljer sig åt." in differ.text
    assert weak.status_code == 200 and "password1" in weak.context["form"].errors
    assert not Membership.objects.filter(user__email="ny.medarbetare@partner-a.example").exists()


def test_an_admin_changes_a_users_role_but_not_their_own(cast, client):
    # given
    client.force_login(cast.a_admin)
    # when
    client.post(
        reverse("member_role", args=[cast.org_a.slug, cast.a_staff.public_id]),
        {"role": Role.VIEWER},
    )
    own = client.post(
        reverse("member_role", args=[cast.org_a.slug, cast.a_admin.public_id]),
        {"role": Role.VIEWER},
        follow=True,
    )
    # then
    assert Membership.objects.get(user=cast.a_staff).role == Role.VIEWER
    assert Membership.objects.get(user=cast.a_admin).role == Role.PARTNER_ADMIN
    assert "Du kan inte ändra din egen roll." in own.text


@pytest.mark.parametrize("backend_login", [True, False])
def test_a_deactivated_user_can_no_longer_log_in_or_stay_logged_in(cast, client, backend_login):
    # given partner A's staff, logged in
    staff = Client()
    staff.force_login(cast.a_staff)
    client.force_login(cast.a_admin)
    # when the admin deactivates them
    client.post(reverse("member_toggle", args=[cast.org_a.slug, cast.a_staff.public_id]))
    # then their session no longer works, and a new login is refused
    if backend_login:
        assert staff.get(reverse("dashboard")).status_code == 302
    else:
        cast.a_staff.refresh_from_db()
        assert not cast.a_staff.is_active
        cast.a_staff.set_password("ett-långt-lösenord")
        cast.a_staff.save()
        assert not Client().login(email=cast.a_staff.email, password="ett-långt-lösenord")


def test_a_partner_admin_of_a_municipality_cannot_demote_or_deactivate_its_coordinator(
    cast, client
):
    # given an admin of the city (a municipality), beside the city's coordinator
    from tillsammans.core.factories import member

    city_admin = member(cast.city, Role.PARTNER_ADMIN, "stadens-admin@example.org")
    client.force_login(city_admin)
    coordinator = cast.coordinator.public_id
    # when
    demoted = client.post(
        reverse("member_role", args=[cast.city.slug, coordinator]), {"role": Role.VIEWER}
    )
    deactivated = client.post(reverse("member_toggle", args=[cast.city.slug, coordinator]))
    # then
    assert demoted.status_code == deactivated.status_code == 302
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.membership.role == Role.COORDINATOR and cast.coordinator.is_active


def test_another_organisations_open_invitation_is_not_withdrawn_by_a_second_one(cast, client):
    # given the coordinator has invited someone to the city
    client.force_login(cast.coordinator)
    client.post(reverse("member_list", args=[cast.city.slug]), INVITE)
    # when partner A's admin invites the same address
    client.force_login(cast.a_admin)
    response = client.post(reverse("member_list", args=[cast.org_a.slug]), INVITE)
    # then it is refused, and the city's invitation still stands
    assert "En annan organisation har redan bjudit in den adressen" in response.text
    assert Invitation.objects.get().withdrawn_at is None


def test_an_unused_invitation_is_deleted_30_days_after_it_ended(cast, client):
    from tillsammans.partnership.background import delete_unused_invitations

    client.force_login(cast.a_admin)
    client.post(reverse("member_list", args=[cast.org_a.slug]), INVITE)
    client.post(
        reverse("member_list", args=[cast.org_a.slug]),
        {**INVITE, "email": "annan@partner-a.example", "first_name": "Annan"},
    )
    old, recent = Invitation.objects.order_by("created_at")
    # given one invitation that expired 31 days ago, and one that expired yesterday
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=31))
    Invitation.objects.filter(pk=recent.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    # when the daily job runs, only the old one (a person's name and address) is gone
    assert delete_unused_invitations() == "1 unused invitations deleted"
    assert list(Invitation.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.filter(
        object_type="partnership.invitation", action="delete", actor=None
    ).exists()
