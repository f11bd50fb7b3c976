from django.urls import path

from . import path_views

urlpatterns = [
    path("", path_views.path_lists, name="path_lists"),
    path("import/", path_views.path_import, name="path_import"),
    path("<slug:kind>/", path_views.path_lists, name="path_list"),
]
