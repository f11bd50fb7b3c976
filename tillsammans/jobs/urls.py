from django.urls import path

from . import views

urlpatterns = [
    path("", views.jobs_home, name="jobs_home"),
    path("figures/", views.jobs_figures, name="jobs_figures"),
    path("seekers/new/", views.job_seeker_enrol, name="job_seeker_enrol"),
    path("seekers/<uuid:public_id>/", views.job_seeker_detail, name="job_seeker_detail"),
    path("seekers/<uuid:public_id>/edit/", views.job_seeker_edit, name="job_seeker_edit"),
    path("seekers/<uuid:public_id>/cv.pdf", views.job_seeker_cv, name="job_seeker_cv"),
    path("seekers/<uuid:public_id>/stage/", views.job_seeker_stage, name="job_seeker_stage"),
    path(
        "seekers/<uuid:public_id>/follow-up/",
        views.job_seeker_follow_up,
        name="job_seeker_follow_up",
    ),
    path(
        "seekers/<uuid:public_id>/job-ended/",
        views.job_seeker_job_ended,
        name="job_seeker_job_ended",
    ),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/<uuid:public_id>/", views.employer_detail, name="employer_detail"),
    path(
        "employers/<uuid:public_id>/contacts/",
        views.employer_contact_add,
        name="employer_contact_add",
    ),
    path("employers/<uuid:public_id>/openings/new/", views.opening_create, name="opening_create"),
    path("openings/<uuid:public_id>/", views.opening_detail, name="opening_detail"),
    path("openings/<uuid:public_id>/close/", views.opening_close, name="opening_close"),
    path("propose/", views.proposal_create, name="job_proposal_create"),
]
