from django.urls import path

from suspensions import views

app_name = "suspensions"
urlpatterns = [
    path("record/<int:pupil_id>/", views.suspension_record_view, name="record"),
    path("<int:pk>/", views.suspension_detail_view, name="detail"),
    path("<int:pk>/cancel/", views.suspension_cancel_view, name="cancel"),
]
