"""Agreements, governance and goals: every member of a party reads them; the coordinator
writes; a partner's admin writes its own part (contribution, annex, decisions it owns, its
website and logo). An agreement the user's organisation is not party to is a 404."""

from typing import Any

from tests import agreements
from tests.access import MEMBERS, PARTNER_A_MANAGERS, REDIRECT, Row, closed

COORDINATOR = closed(coordinator=200)
# Partner B is party to "theirs"; partner A is not, and neither are its viewer and admin.
# The city is party to both agreements: its case workers read them as its coordinators do.
THEIRS_READERS = closed(coordinator=200, b_staff=200, case_worker=200)


def on(name: str, which: str = "shared") -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        return getattr(agreements, which)(cast).kwargs()[name]

    return kwargs


def org(slug_of: str) -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        return {"slug": getattr(cast, slug_of).slug}

    return kwargs


def logo_a(cast: Any) -> dict[str, Any]:
    from tillsammans.partnership.services import organisation_profile_update

    organisation_profile_update(
        actor=cast.coordinator, organisation=cast.org_a, website="", logo=agreements.logo_png()
    )
    return {"slug": cast.org_a.slug}


def agreement_data(cast: Any) -> dict[str, Any]:
    return {"name": "Nytt avtal", "starts_on": "2023-01-01", "places": "100"}


ROWS = [
    Row("agreement_list", closed(**MEMBERS)),
    Row("agreement_create", COORDINATOR),
    Row("agreement_create", closed(coordinator=REDIRECT), method="post", data=agreement_data),
    Row("agreement_page", closed(**MEMBERS), kwargs=on("agreement_page")),
    Row("agreement_page", THEIRS_READERS, kwargs=on("agreement_page", "theirs"), case="B's"),
    Row("agreement_edit", COORDINATOR, kwargs=on("agreement_edit")),
    Row(
        "agreement_edit",
        closed(coordinator=REDIRECT),
        kwargs=on("agreement_edit"),
        method="post",
        data=lambda cast: {"name": "Delat avtal", "starts_on": "2022-03-01"},
    ),
    Row("party_add", COORDINATOR, kwargs=on("party_add")),
    Row("party_edit", closed(**PARTNER_A_MANAGERS), kwargs=on("party_edit"), case="partner A"),
    Row("party_edit", COORDINATOR, kwargs=on("party_edit", "theirs"), case="B's"),
    Row(
        "party_edit",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=on("party_edit"),
        method="post",
        data=lambda cast: {
            "joined_on": "2022-03-01",
            "contribution": "Praktikplatser och språkcafé.",
        },
    ),
    Row(
        "target_add",
        closed(coordinator=REDIRECT),
        kwargs=on("target_add"),
        method="post",
        data=lambda cast: {"valid_from": "2022-12-01", "places": "1 200"},
    ),
    Row("target_delete", COORDINATOR, kwargs=on("target_delete")),
    Row("target_delete", closed(coordinator=REDIRECT), kwargs=on("target_delete"), method="post"),
    Row("document_add", closed(**PARTNER_A_MANAGERS), kwargs=on("document_add")),
    Row("document_file", closed(**MEMBERS), kwargs=on("document_file")),
    Row("document_file", THEIRS_READERS, kwargs=on("document_file", "theirs"), case="B's"),
    Row("document_delete", closed(**PARTNER_A_MANAGERS), kwargs=on("document_delete")),
    Row(
        "document_delete",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=on("document_delete"),
        method="post",
    ),
    Row("governance", closed(**MEMBERS), kwargs=on("governance")),
    Row("governance", THEIRS_READERS, kwargs=on("governance", "theirs"), case="B's"),
    Row("decisions_download", closed(**MEMBERS), kwargs=on("decisions_download")),
    Row("group_create", COORDINATOR, kwargs=on("group_create")),
    Row(
        "group_create",
        closed(coordinator=REDIRECT),
        kwargs=on("group_create"),
        method="post",
        data=lambda cast: {"kind": "other", "name": "Sommarjobbsgruppen"},
    ),
    Row("group_detail", closed(**MEMBERS), kwargs=on("group_detail")),
    Row(
        "group_detail",
        closed(coordinator=REDIRECT),
        kwargs=on("group_detail"),
        method="post",
        data=lambda cast: {"organisation": cast.org_a.pk, "name": "Nils Berg"},
    ),
    Row("group_member_remove", COORDINATOR, kwargs=on("group_member_remove")),
    Row("meeting_create", COORDINATOR, kwargs=on("meeting_create")),
    Row("meeting_detail", closed(**MEMBERS), kwargs=on("meeting_detail")),
    Row(
        "decision_create",
        closed(coordinator=REDIRECT),
        kwargs=on("decision_create"),
        method="post",
        data=lambda cast: {"text": "Boka lokal", "owner": cast.org_a.pk},
    ),
    Row("decision_edit", closed(**PARTNER_A_MANAGERS), kwargs=on("decision_edit")),
    Row(
        "decision_edit",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=on("decision_edit"),
        method="post",
        data=lambda cast: {"follow_up": "Enkäten är skickad.", "done_on": "2022-10-15"},
    ),
    Row("goal_list", closed(**MEMBERS), kwargs=on("goal_list")),
    Row("goal_list", THEIRS_READERS, kwargs=on("goal_list", "theirs"), case="B's"),
    Row("goal_create", COORDINATOR, kwargs=on("goal_create")),
    Row("goal_edit", COORDINATOR, kwargs=on("goal_edit")),
    Row("indicator_create", COORDINATOR, kwargs=on("indicator_create")),
    Row("indicator_edit", COORDINATOR, kwargs=on("indicator_edit")),
    Row(
        "indicator_value",
        closed(coordinator=REDIRECT),
        kwargs=on("indicator_value"),
        method="post",
        data=lambda cast: {"year": "2022", "value": "82,5"},
    ),
    Row("organisation_profile", closed(**PARTNER_A_MANAGERS), kwargs=org("org_a"), case="A"),
    Row("organisation_profile", COORDINATOR, kwargs=org("org_b"), case="B"),
    Row("organisation_logo", closed(**MEMBERS), kwargs=logo_a),
]


def _invite(cast: Any) -> Any:
    from tillsammans.partnership.services import invitation_create

    return invitation_create(
        actor=cast.coordinator, organisation=cast.org_a, email="ny@partner-a.example",
        first_name="Ny", last_name="Användare", role="partner_staff",
        site_url="http://testserver/",
    )  # fmt: skip


def invitation_a(cast: Any) -> dict[str, Any]:
    return {"slug": cast.org_a.slug, "invitation_id": _invite(cast).public_id}


def invitation_token(cast: Any) -> dict[str, Any]:
    from django.core import mail

    _invite(cast)
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line)
    return {"token": link.rstrip("/").rsplit("/", 1)[-1]}


ROWS += [
    Row(
        "member_list",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=org("org_a"),
        method="post",
        data=lambda cast: {
            "email": "inbjuden@partner-a.example",
            "first_name": "Inbjuden",
            "last_name": "Person",
            "role": "partner_staff",
        },
    ),
    Row(
        "member_role",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=lambda cast: {"slug": cast.org_a.slug, "user_id": cast.a_staff.public_id},
        method="post",
        data=lambda cast: {"role": "viewer"},
    ),
    Row(
        "invitation_withdraw",
        closed(coordinator=REDIRECT, a_admin=REDIRECT),
        kwargs=invitation_a,
        method="post",
    ),
    # The link's page is for the invited person, who has no login yet; a logged-in user is
    # asked to log out first.
    Row(
        "invitation_accept",
        {"anonymous": 200, **{role: 409 for role in MEMBERS}},
        kwargs=invitation_token,
    ),
]
