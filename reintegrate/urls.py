from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import SignInView
from reintegrate import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("", include("dashboard.urls")),
    path("school/", include("schools.urls")),
    path("pupils/", include("pupils.urls")),
    path("suspensions/", include("suspensions.urls")),
    path("plans/", include("plans.urls")),
    path("duties/", include("duties.urls")),
    path("audit/", include("audit.urls")),
    path("documents/", include("documents.urls")),
    path("documents/", include("documents.record_urls")),
    path("calendar/", include("notifications.urls")),
    path("imports/", include("imports.urls")),
    path("evidence/", include("evidence.urls")),
    path("api/", include("api.urls")),
    # The admin's own sign-in form asks for a password only: everyone signs in through the main page and its code.
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("admin/", admin.site.urls),
]
