from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.allocation_list, name="allocation_list"),
    path("new/", views.allocation_create, name="allocation_create"),
    path("import/", include("tillsammans.reception.import_urls")),
    path("<uuid:public_id>/", views.allocation_detail, name="allocation_detail"),
    path("<uuid:public_id>/status/", views.allocation_status, name="allocation_status"),
    path("<uuid:public_id>/reopen/", views.allocation_reopen, name="allocation_reopen"),
    path("stays/<uuid:public_id>/move/", views.stay_move, name="stay_move"),
    path("stays/<uuid:public_id>/move-out/", views.stay_end, name="stay_end"),
    path("stays/moved-out/", views.moved_out_list, name="moved_out_list"),
    path("stays/<uuid:public_id>/correct-move-out/", views.stay_reopen, name="stay_reopen"),
]
