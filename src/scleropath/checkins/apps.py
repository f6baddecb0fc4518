from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "scleropath.checkins"
    label = "checkins"
    verbose_name = "Patient check-ins"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
