from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_upload, name="allocation_import"),
    path("<str:token>/commit/", import_views.import_commit, name="allocation_import_commit"),
]
