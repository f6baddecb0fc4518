from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "scleropath.photos"
    label = "photos"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
