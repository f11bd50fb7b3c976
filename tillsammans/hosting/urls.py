from django.urls import path

from . import views

urlpatterns = [
    path("", views.hosting_home, name="hosting_home"),
    path("set-up/", views.programme_create, name="host_programme_create"),
    path("new/", views.host_register, name="host_register"),
    path("proposals/", views.host_proposals, name="host_proposals"),
    path("rent/", views.rent_month, name="rent_month"),
    path("rent/export/", views.rent_export, name="rent_export"),
    path("rent/pay/", views.rent_pay, name="rent_pay"),
    path("<uuid:public_id>/", views.host_detail, name="host_detail"),
    path("<uuid:public_id>/edit/", views.host_edit, name="host_edit"),
    path("<uuid:public_id>/vetting/<str:step>/", views.host_vet, name="host_vet"),
    path("<uuid:public_id>/answer/", views.host_answer, name="host_answer"),
    path("<uuid:public_id>/agreement/", views.agreement_sign, name="agreement_sign"),
    path("<uuid:public_id>/follow-up/", views.follow_up, name="host_follow_up"),
    path("agreements/<uuid:public_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<uuid:public_id>/end/", views.agreement_end, name="agreement_end"),
]
