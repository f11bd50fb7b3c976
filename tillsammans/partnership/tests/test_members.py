"""An organisation's users page, as the partner admin who manages them sees it."""

from django.urls import reverse

from tillsammans.partnership.models import Role


def test_it_offers_no_button_to_deactivate_oneself(cast, client):
    # given: partner A's admin, who manages A's users
    client.force_login(cast.a_admin)
    # when
    page = client.get(reverse("member_list", args=[cast.org_a.slug])).text
    # then: the other users can be deactivated; the admin's own row has no button
    for user in (cast.a_staff, cast.a_viewer):
        assert reverse("member_toggle", args=[cast.org_a.slug, user.public_id]) in page
    assert reverse("member_toggle", args=[cast.org_a.slug, cast.a_admin.public_id]) not in page


def test_it_adds_a_user_as_staff_unless_someone_chooses_more(cast, client):
    # given: the coordinator, who may add users of any role to the city
    client.force_login(cast.coordinator)
    # when
    form = client.get(reverse("member_list", args=[cast.city.slug])).context["form"]
    # then: the role offered first is partner staff, never coordinator or admin
    assert form["role"].value() == Role.PARTNER_STAFF


def test_it_offers_the_coordinator_role_only_for_the_municipality(cast, client):
    # given: the coordinator adding users to the city and to a partner
    client.force_login(cast.coordinator)
    # when
    city = client.get(reverse("member_list", args=[cast.coordinator.membership.organisation.slug]))
    partner = client.get(reverse("member_list", args=[cast.org_a.slug]))
    # then
    roles = lambda page: [value for value, _label in page.context["form"].fields["role"].choices]  # noqa: E731
    assert Role.COORDINATOR in roles(city)
    assert Role.COORDINATOR not in roles(partner) and Role.PARTNER_ADMIN in roles(partner)
