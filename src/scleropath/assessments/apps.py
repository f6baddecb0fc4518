from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "scleropath.assessments"
    label = "assessments"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
