from django.urls import path

from . import annual_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/sites", views.site_table, name="dashboard_sites"),
    path("reports/occupancy/", views.occupancy, name="occupancy_report"),
    path("reports/annual/", annual_views.annual_index, name="annual_index"),
    path("reports/annual/<int:year>/<str:edition>/", annual_views.annual, name="annual_report"),
    path(
        "reports/annual/<int:year>/<str:edition>/pdf/",
        annual_views.annual_pdf,
        name="annual_report_pdf",
    ),
    path(
        "reports/annual/<int:year>/texts/<slug:slug>/",
        annual_views.annual_text,
        name="annual_text",
    ),
]
