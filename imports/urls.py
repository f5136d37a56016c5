from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:kind>/example.csv", views.example, name="example"),
    path("jobs/<int:pk>/", views.job_view, name="job"),
    path("jobs/<int:pk>/columns/", views.columns, name="columns"),
    path("jobs/<int:pk>/import/", views.apply, name="apply"),
    path("jobs/<int:pk>/cancel/", views.cancel, name="cancel"),
]
