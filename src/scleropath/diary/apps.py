from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "scleropath.diary"
    label = "diary"
    verbose_name = "Diary"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
