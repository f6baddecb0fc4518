from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache's table, made by every migrate (``scleropath serve`` and ``demo`` too), so
    the rate limits work on a new database; nothing happens when it exists or the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "scleropath.core"
    label = "core"
    verbose_name = "Records core"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
