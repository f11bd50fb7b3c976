from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/sites", views.site_table, name="dashboard_sites"),
    path("reports/occupancy/", views.occupancy, name="occupancy_report"),
]
