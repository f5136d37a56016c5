from django.apps import AppConfig


class SuspensionsConfig(AppConfig):
    name = "suspensions"
