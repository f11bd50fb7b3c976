from django.urls import path

from . import views

urlpatterns = [
    path("", views.coupon_list, name="coupon_list"),
    path("issue/", views.coupon_issue, name="coupon_issue"),
    path("redeem/", views.coupon_redeem, name="coupon_redeem"),
    path("ledger/", views.coupon_ledger, name="coupon_ledger"),
    path("ledger/export/", views.coupon_ledger_export, name="coupon_ledger_export"),
    path("shops/", views.shop_list, name="shop_list"),
    path("<uuid:public_id>/", views.coupon_detail, name="coupon_detail"),
    path("<uuid:public_id>/print/", views.coupon_print, name="coupon_print"),
    path("<uuid:public_id>/cancel/", views.coupon_cancel, name="coupon_cancel"),
]
