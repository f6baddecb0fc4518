from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "scleropath.booking"
    label = "booking"
    verbose_name = "Online booking"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
