from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("pupils/<int:pupil_pk>/", views.pupil_audit_view, name="pupil"),
]
