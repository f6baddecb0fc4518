from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "scleropath.api"
    label = "api"
    verbose_name = "JSON API"
