from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from api.models import ApiToken

        # Creating and revoking tokens is in the audit trail (school configuration: it belongs to no pupil).
        # Never the hash; last_used_at changes on every use.
        auditlog.register(ApiToken, exclude_fields=["token_hash", "last_used_at"])
