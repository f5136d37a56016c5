from django.urls import path

from pupils import views

app_name = "pupils"
urlpatterns = [
    path("", views.pupil_list_view, name="list"),
    path("<int:pk>/", views.pupil_detail_view, name="detail"),
    path("<int:pk>/subject-access/", views.subject_access_view, name="subject_access"),
    path("<int:pk>/previous-schools/new/", views.previous_school_add_view, name="previous_school_add"),
    path(
        "<int:pk>/previous-schools/<int:entry_pk>/delete/",
        views.previous_school_delete_view,
        name="previous_school_delete",
    ),
]
