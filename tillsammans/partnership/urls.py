from django.urls import path

from . import views

urlpatterns = [
    path("", views.partnership, name="partnership"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("<slug:slug>/users/", views.member_list, name="member_list"),
    path("<slug:slug>/users/<uuid:user_id>/toggle/", views.member_toggle, name="member_toggle"),
]
