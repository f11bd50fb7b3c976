from django.urls import path

from . import views

urlpatterns = [
    path("", views.training_list, name="training_list"),
    path("add/", views.training_create, name="training_create"),
    path("<uuid:public_id>/", views.training_detail, name="training_detail"),
    path("<uuid:public_id>/edit/", views.training_edit, name="training_edit"),
    path("<uuid:public_id>/attendance/", views.attendance_record, name="attendance_record"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/<uuid:public_id>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<uuid:public_id>/edit/", views.volunteer_edit, name="volunteer_edit"),
]
