from django.urls import path

from . import path_views

urlpatterns = [
    path("", path_views.path_lists, name="path_lists"),
    path("<slug:kind>/", path_views.path_lists, name="path_list"),
]
