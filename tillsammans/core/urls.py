from django.urls import path

from . import background_views, views

urlpatterns = [path("", views.audit_list, name="audit_list")]

background_urlpatterns = [
    path("<uuid:public_id>/", background_views.job_detail, name="job_detail"),
    path("<uuid:public_id>/retry/", background_views.job_retry, name="job_retry"),
    path("<uuid:public_id>/file/", background_views.job_file, name="job_file"),
]
