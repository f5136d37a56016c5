from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/set-up/", views.enrol, name="enrol"),
    path("two-factor/recovery-code/", views.recover, name="recover"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
