from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("suspensions/<int:pk>/letters/<slug:kind>/", views.letter_view, name="letter"),
    path("issued/<int:pk>/", views.issued_view, name="issued"),
    path("issued/<int:pk>/letter.<str:fmt>", views.issued_file_view, name="issued_file"),
    path("issued/<int:pk>/retry/", views.issued_retry_view, name="issued_retry"),
    path("letterhead/", views.letterhead_view, name="letterhead"),
    path("templates/", views.templates_view, name="templates"),
    path("templates/<slug:kind>/<str:which>.docx", views.template_download_view, name="template_download"),
    path("templates/<slug:kind>/upload/", views.template_upload_view, name="template_upload"),
    path("templates/<slug:kind>/reset/", views.template_reset_view, name="template_reset"),
]
