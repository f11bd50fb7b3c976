from django.urls import path

from . import views

urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("new/", views.site_create, name="site_create"),
    path("<uuid:public_id>/", views.site_detail, name="site_detail"),
    path("<uuid:public_id>/edit/", views.site_edit, name="site_edit"),
    path("<uuid:public_id>/units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:public_id>/edit/", views.unit_edit, name="unit_edit"),
    path("<uuid:public_id>/licences/new/", views.licence_create, name="licence_create"),
    path("<uuid:public_id>/uses/new/", views.site_use_create, name="site_use_create"),
    path("licences/<uuid:public_id>/edit/", views.licence_edit, name="licence_edit"),
]
