from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "scleropath.followup"
    label = "followup"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
