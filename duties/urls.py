from django.urls import include, path  # noqa: F401

app_name = "duties"
urlpatterns: list = []
