from django.urls import path

from . import views

urlpatterns = [
    path("", views.placement_home, name="placement_home"),
    path("propose/", views.proposal_create, name="proposal_create"),
    path("weights/", views.fit_weights, name="fit_weights"),
    path(
        "sites/<uuid:public_id>/propose/",
        views.proposal_create_for_site,
        name="proposal_create_for_site",
    ),
    path("<uuid:public_id>/", views.proposal_detail, name="proposal_detail"),
    path("<uuid:public_id>/accept/", views.proposal_accept, name="proposal_accept"),
    path("<uuid:public_id>/propose-again/", views.proposal_repropose, name="proposal_repropose"),
    path("<uuid:public_id>/download/", views.proposal_download, name="proposal_download"),
    path("items/<uuid:public_id>/", views.proposal_item, name="proposal_item"),
]
