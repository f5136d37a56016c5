from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/", views.plan_detail_view, name="detail"),
    path("<int:pk>/edit/", views.plan_edit_view, name="edit"),
    path("<int:pk>/meeting/", views.meeting_view, name="meeting"),
    path("<int:pk>/meeting/record/", views.meeting_record_view, name="meeting_record"),
    path("<int:pk>/no-meeting/", views.no_meeting_view, name="no_meeting"),
    path("<int:pk>/goals/new/", views.goal_add_view, name="goal_add"),
    path("goals/<int:pk>/edit/", views.goal_edit_view, name="goal_edit"),
    path("<int:pk>/reviews/new/", views.review_add_view, name="review_add"),
    path("reviews/<int:pk>/", views.review_detail_view, name="review_detail"),
    path("<int:pk>/part-time/new/", views.part_time_add_view, name="part_time_add"),
    path("part-time/<int:pk>/end/", views.part_time_end_view, name="part_time_end"),
]
