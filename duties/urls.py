from django.urls import include, path

from duties import views

app_name = "duties"
urlpatterns = [
    path("", views.duty_list_view, name="list"),
    path("<int:pk>/complete/", views.duty_complete_view, name="complete"),
    path("", include("duties.board_urls")),
]
