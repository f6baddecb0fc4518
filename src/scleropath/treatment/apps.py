from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "scleropath.treatment"
    label = "treatment"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
