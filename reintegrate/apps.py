from django.apps import AppConfig


class ReintegrateConfig(AppConfig):
    """The project package, installed for its template tags and shared templates."""

    name = "reintegrate"
