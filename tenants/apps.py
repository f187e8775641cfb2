from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "平台与县（公共库）"

    def ready(self) -> None:
        from . import signals  # noqa: F401

        # The rollups follow each county's writes through audit's hook, and register their tasks.
        from .orchestration.rollups import follow, tasks  # noqa: F401

        follow.register()
