"""The reintegration documents (included at "documents/"): the blank template and each plan's documents."""

from django.urls import path

from documents import record_views as views

app_name = "records"
urlpatterns = [
    path("template/blank.pdf", views.blank_template_view, {"fmt": "pdf"}, name="blank_pdf"),
    path("template/blank.docx", views.blank_template_view, {"fmt": "docx"}, name="blank_docx"),
    path("plans/<int:pk>/meeting-record.pdf", views.meeting_record_view, {"fmt": "pdf"}, name="meeting_record_pdf"),
    path("plans/<int:pk>/meeting-record.docx", views.meeting_record_view, {"fmt": "docx"}, name="meeting_record_docx"),
    path("plans/<int:pk>/plan.pdf", views.plan_record_view, {"fmt": "pdf"}, name="plan_pdf"),
    path("plans/<int:pk>/plan.docx", views.plan_record_view, {"fmt": "docx"}, name="plan_docx"),
    path("plans/<int:pk>/my-return-plan.pdf", views.my_return_plan_view, {"fmt": "pdf"}, name="my_return_plan_pdf"),
    path("plans/<int:pk>/my-return-plan.docx", views.my_return_plan_view, {"fmt": "docx"}, name="my_return_plan_docx"),
]
