from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("calendar/non-school-days/new/", views.non_school_day_add, name="non_school_day_add"),
    path("calendar/non-school-days/<int:pk>/delete/", views.non_school_day_delete, name="non_school_day_delete"),
    path("calendar/years/new/", views.academic_year_add, name="academic_year_add"),
    path("settings/", views.school_settings, name="settings"),
    path("switch/", views.switch, name="switch"),
]
