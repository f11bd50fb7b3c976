from django.urls import path

from . import views

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("public/", views.public_services, name="public_services"),
    path("new/", views.service_create, name="service_create"),
    path("figures/", views.figures, name="addedvalues_figures"),
    path("<uuid:public_id>/", views.service_detail, name="service_detail"),
    path("<uuid:public_id>/edit/", views.service_edit, name="service_edit"),
    path("<uuid:public_id>/deliver/", views.delivery_bulk, name="delivery_bulk"),
    path("<uuid:public_id>/visitors/", views.headcount_record, name="headcount_record"),
    path("residents/<uuid:public_id>/", views.resident_page, name="resident_page"),
    path("deliveries/<uuid:public_id>/delete/", views.delivery_delete, name="delivery_delete"),
]
