from django.urls import path

from . import views

urlpatterns = [
    path("persons/<uuid:public_id>/", views.person_rights, name="person_rights"),
    path("persons/<uuid:public_id>/extract/", views.extract_start, name="extract_start"),
    path("persons/<uuid:public_id>/corrections/", views.correction_add, name="correction_add"),
    path("corrections/<uuid:public_id>/", views.correction_handle, name="correction_handle"),
    path("review/", views.log_review, name="log_review"),
    path("review/compute/", views.log_review_compute, name="log_review_compute"),
    path("review/sign/", views.log_review_sign, name="log_review_sign"),
]
