from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scleropath.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import audit  # noqa: F401  registers this app's models with the audit log
