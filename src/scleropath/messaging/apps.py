from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "scleropath.messaging"
    label = "messaging"
    verbose_name = "Messages to patients"

    def ready(self) -> None:
        # Registers the models with the audit log, and the SMS settings' start-up checks.
        from . import audit, checks  # noqa: F401
