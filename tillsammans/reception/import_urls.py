from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_upload, name="allocation_import"),
    path("<str:token>/", import_views.import_preview, name="allocation_import_preview"),
    path("<str:token>/commit/", import_views.import_commit, name="allocation_import_commit"),
]
