from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scleropath.core"
    label = "core"
    verbose_name = "Records core"
