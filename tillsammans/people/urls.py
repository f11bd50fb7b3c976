from django.urls import path

from . import views

urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("<uuid:public_id>/", views.household_detail, name="household_detail"),
    path("<uuid:public_id>/edit/", views.household_edit, name="household_edit"),
    path("<uuid:public_id>/hold/", views.household_hold, name="household_hold"),
    path("<uuid:public_id>/persons/new/", views.person_add, name="person_add"),
    path("persons/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:public_id>/path/", views.person_path, name="person_path"),
    path("path/<uuid:public_id>/correct/", views.path_event_correct, name="path_event_correct"),
]
