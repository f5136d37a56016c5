from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reintegrate import views
from reintegrate.forms import LoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("dashboard.urls")),
    path("school/", include("schools.urls")),
    path("pupils/", include("pupils.urls")),
    path("suspensions/", include("suspensions.urls")),
    path("plans/", include("plans.urls")),
    path("duties/", include("duties.urls")),
    path("admin/", admin.site.urls),
]
