from django.urls import path

from . import figure_views, views
from . import reconciliation_views as rv

urlpatterns = [
    path("", views.finance_home, name="finance_home"),
    path("months/<int:year>/<int:month>/", views.finance_month, name="finance_month"),
    path("months/<int:year>/<int:month>/report.xlsx", views.month_export, name="month_export"),
    path("months/<int:year>/<int:month>/report.pdf", views.month_pdf, name="month_pdf"),
    path(
        "months/<int:year>/<int:month>/payments.csv",
        views.payments_export,
        name="payments_export",
    ),
    path("months/<int:year>/<int:month>/state/", views.state_ledger_page, name="state_ledger"),
    path(
        "months/<int:year>/<int:month>/state.xlsx",
        views.state_ledger_export,
        name="state_ledger_export",
    ),
    path("payments/", rv.reconciliation_latest, name="reconciliation_latest"),
    path("payments/forecast/", rv.reconciliation_forecast, name="reconciliation_forecast"),
    path(
        "months/<int:year>/<int:month>/payments/",
        rv.reconciliation_page,
        name="reconciliation_page",
    ),
    path(
        "months/<int:year>/<int:month>/payments/import/",
        rv.reconciliation_import,
        name="reconciliation_import",
    ),
    path(
        "months/<int:year>/<int:month>/payments/<uuid:public_id>/remove/",
        rv.reconciliation_remove,
        name="reconciliation_remove",
    ),
    path(
        "months/<int:year>/<int:month>/payments/decide/",
        rv.reconciliation_decide,
        name="reconciliation_decide",
    ),
    path(
        "months/<int:year>/<int:month>/payments/freeze/",
        rv.reconciliation_freeze,
        name="reconciliation_freeze",
    ),
    path(
        "months/<int:year>/<int:month>/payments/reopen/",
        rv.reconciliation_reopen,
        name="reconciliation_reopen",
    ),
    path(
        "months/<int:year>/<int:month>/payments/differences.xlsx",
        rv.reconciliation_export,
        name="reconciliation_export",
    ),
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/add/", views.rate_create, name="rate_create"),
    path("rates/<int:pk>/edit/", views.rate_edit, name="rate_edit"),
    path("rates/<int:pk>/delete/", views.rate_delete, name="rate_delete"),
    path("rates/figures/add/", figure_views.figure_create, name="figure_create"),
    path("rates/figures/<int:pk>/remove/", figure_views.figure_remove, name="figure_remove"),
    path("reports/start/", views.report_start, name="report_start"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/report.xlsx", views.report_export, name="report_export"),
    path("reports/<uuid:public_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<uuid:public_id>/review/", views.report_review, name="report_review"),
    path("reports/<uuid:public_id>/comment/", views.report_comment, name="report_comment"),
    path("reports/<uuid:public_id>/correct/", views.report_correct, name="report_correct"),
]
