from django.urls import path

from evidence import views

app_name = "evidence"
urlpatterns = [path("register-check/", views.register_check_view, name="register_check")]
