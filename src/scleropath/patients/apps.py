from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "scleropath.patients"
    label = "patients"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
