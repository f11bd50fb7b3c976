from django.urls import path

from . import annual_views, goal_views, views

GOALS = "partnership/agreements/<uuid:agreement_id>/goals/"
R = "reports/annual/<uuid:agreement_id>/<int:year>/"

urlpatterns = [
    path(GOALS, goal_views.goal_list, name="goal_list"),
    path(GOALS + "new/", goal_views.goal_edit, name="goal_create"),
    path(GOALS + "<int:goal_id>/", goal_views.goal_edit, name="goal_edit"),
    path(
        GOALS + "<int:goal_id>/indicators/new/",
        goal_views.indicator_edit,
        name="indicator_create",
    ),
    path(
        GOALS + "indicators/<int:indicator_id>/", goal_views.indicator_edit, name="indicator_edit"
    ),
    path(
        GOALS + "indicators/<int:indicator_id>/outcome/",
        goal_views.indicator_value,
        name="indicator_value",
    ),
    path("", views.dashboard, name="dashboard"),
    path("dashboard/sites", views.site_table, name="dashboard_sites"),
    path("reports/occupancy/", views.occupancy, name="occupancy_report"),
    path("reports/annual/", annual_views.annual_index, name="annual_index"),
    path("reports/images/<uuid:file_id>/", annual_views.report_image, name="report_image"),
    path(R + "edit/", annual_views.annual_edit, name="annual_edit"),
    path(R + "publish/", annual_views.annual_publish, name="annual_publish"),
    path(R + "texts/<slug:slug>/", annual_views.annual_text, name="annual_text"),
    path(R + "quotes/new/", annual_views.quote_add, name="annual_quote_add"),
    path(
        R + "quotes/<int:quote_id>/remove/", annual_views.quote_delete, name="annual_quote_delete"
    ),
    path(R + "photos/new/", annual_views.photo_add, name="annual_photo_add"),
    path(
        R + "photos/<uuid:photo_id>/remove/", annual_views.photo_delete, name="annual_photo_delete"
    ),
    path(
        R + "editions/<int:number>/<str:edition>/",
        annual_views.annual_edition,
        name="annual_edition",
    ),
    path(
        R + "editions/<int:number>/<str:edition>/pdf/",
        annual_views.annual_edition_pdf,
        name="annual_edition_pdf",
    ),
    path(R + "<str:edition>/", annual_views.annual, name="annual_report"),
    path(R + "<str:edition>/pdf/", annual_views.annual_pdf, name="annual_report_pdf"),
]
