from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.child_register, name="child_register"),
    path("turning-18/", views.turning_18, name="turning_18"),
    path("volunteers/", views.volunteers, name="minors_volunteers"),
    path(
        "volunteers/<uuid:public_id>/with-children/",
        views.child_volunteer_edit,
        name="child_volunteer_edit",
    ),
    path("services/", views.service_children, name="service_children"),
    path("reunification/", views.reunification_list, name="reunification_list"),
    path(
        "reunification/<uuid:public_id>/",
        views.reunification_detail,
        name="reunification_detail",
    ),
    path(
        "<uuid:public_id>/reunification/new/",
        views.reunification_open,
        name="reunification_open",
    ),
    path("summer/", views.summer_places, name="summer_places"),
    path("summer/new/", views.summer_place_add, name="summer_place_add"),
    path("enrolments/<uuid:public_id>/sessions/new/", views.session_add, name="session_add"),
    path("enrolments/<uuid:public_id>/end/", views.enrolment_end, name="enrolment_end"),
    path("<uuid:public_id>/services/new/", views.enrolment_add, name="enrolment_add"),
    path("links/<uuid:public_id>/meetings/new/", views.meeting_add, name="meeting_add"),
    path("links/<uuid:public_id>/end/", views.volunteer_link_end, name="volunteer_link_end"),
    path("<uuid:public_id>/volunteers/new/", views.volunteer_link_add, name="volunteer_link_add"),
    path("<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("<uuid:public_id>/birth-dates/new/", views.birth_date_add, name="birth_date_add"),
    path("<uuid:public_id>/statuses/new/", views.status_add, name="status_add"),
    path("<uuid:public_id>/guardians/new/", views.guardian_add, name="guardian_add"),
    path("<uuid:public_id>/decisions/new/", views.decision_add, name="decision_add"),
    path("decisions/<uuid:public_id>/end/", views.decision_end, name="decision_end"),
    path("decisions/<uuid:public_id>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("<uuid:public_id>/place/", views.child_place, name="child_place"),
    path("<uuid:public_id>/at-18/", views.after_18_add, name="after_18_add"),
    path("<uuid:public_id>/take-over/", views.case_take_over, name="case_take_over"),
    path("guardians/<uuid:public_id>/end/", views.guardian_end, name="guardian_end"),
    path("<uuid:public_id>/plan/new/", views.plan_goal_add, name="plan_goal_add"),
    path("plan/<uuid:public_id>/follow-up/", views.plan_goal_follow_up, name="plan_goal_follow_up"),
]
