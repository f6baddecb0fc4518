from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "scleropath.web"
    label = "web"
    verbose_name = "Clinician web pages"
