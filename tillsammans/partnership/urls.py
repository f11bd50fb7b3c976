from django.urls import path

from . import agreement_views, governance_views, views

A = "agreements/<uuid:agreement_id>/"

urlpatterns = [
    path("", views.partnership, name="partnership"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "organisations/<slug:slug>/profile/",
        views.organisation_profile,
        name="organisation_profile",
    ),
    path("organisations/<slug:slug>/logo/", views.organisation_logo, name="organisation_logo"),
    path("agreements/", agreement_views.agreement_list, name="agreement_list"),
    path("agreements/new/", agreement_views.agreement_create, name="agreement_create"),
    path(A, agreement_views.agreement_detail, name="agreement_page"),
    path(A + "edit/", agreement_views.agreement_edit, name="agreement_edit"),
    path(A + "parties/new/", agreement_views.party_add, name="party_add"),
    path(A + "parties/<slug:slug>/", agreement_views.party_edit, name="party_edit"),
    path(A + "targets/", agreement_views.target_add, name="target_add"),
    path(
        A + "targets/<int:target_id>/remove/",
        agreement_views.target_delete,
        name="target_delete",
    ),
    path(A + "documents/new/", agreement_views.document_add, name="document_add"),
    path(A + "documents/<uuid:document_id>/", agreement_views.document_file, name="document_file"),
    path(
        A + "documents/<uuid:document_id>/remove/",
        agreement_views.document_delete,
        name="document_delete",
    ),
    path(A + "governance/", governance_views.governance, name="governance"),
    path(
        A + "governance/decisions.xlsx",
        governance_views.decisions_download,
        name="decisions_download",
    ),
    path(A + "groups/new/", governance_views.group_create, name="group_create"),
    path(A + "groups/<int:group_id>/", governance_views.group_detail, name="group_detail"),
    path(
        A + "groups/<int:group_id>/members/<int:member_id>/remove/",
        governance_views.group_member_remove,
        name="group_member_remove",
    ),
    path(
        A + "groups/<int:group_id>/meetings/new/",
        governance_views.meeting_create,
        name="meeting_create",
    ),
    path(A + "meetings/<int:meeting_id>/", governance_views.meeting_detail, name="meeting_detail"),
    path(
        A + "meetings/<int:meeting_id>/decisions/",
        governance_views.decision_create,
        name="decision_create",
    ),
    path(A + "decisions/<int:decision_id>/", governance_views.decision_edit, name="decision_edit"),
    path("<slug:slug>/users/", views.member_list, name="member_list"),
    path("<slug:slug>/users/<uuid:user_id>/toggle/", views.member_toggle, name="member_toggle"),
    path("<slug:slug>/users/<uuid:user_id>/role/", views.member_role, name="member_role"),
    path(
        "<slug:slug>/invitations/<uuid:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
