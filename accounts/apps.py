from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and two-factor authentication"

    def ready(self) -> None:
        from django.contrib import admin

        from accounts.admin_site import ReintegrateAdminSite

        # The default admin site (with every model already registered) becomes the two-factor, superuser-only one.
        admin.site.__class__ = ReintegrateAdminSite
