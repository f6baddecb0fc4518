from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "scleropath.analytics"
    label = "analytics"
    verbose_name = "Clinic analytics"
