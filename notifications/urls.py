from django.urls import path

from notifications import views

app_name = "calendar"
urlpatterns = [
    path("plans/<int:pk>/meeting.ics", views.meeting_ics_view, name="meeting"),
    path("plans/<int:pk>/next-review.ics", views.next_review_ics_view, name="next_review"),
]
