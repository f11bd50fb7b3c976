from django.urls import path

from . import views

urlpatterns = [
    path("", views.referral_home, name="referral_home"),
    path("households/<uuid:public_id>/", views.referral_household, name="referral_household"),
    path("households/<uuid:public_id>/consent/", views.consent_create, name="consent_create"),
    path("households/<uuid:public_id>/refer/", views.referral_create, name="referral_create"),
    path("consents/<uuid:public_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path("<uuid:public_id>/accept/", views.referral_accept, name="referral_accept"),
    path("<uuid:public_id>/decline/", views.referral_decline, name="referral_decline"),
    path("<uuid:public_id>/done/", views.referral_done, name="referral_done"),
    path("<uuid:public_id>/cancel/", views.referral_cancel, name="referral_cancel"),
]
