from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "平台与县（公共库）"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from core.text import refuse_control_characters

        from . import signals  # noqa: F401

        # Text fields refuse control characters, for every model of the apps that hold typed text.
        pre_save.connect(refuse_control_characters, dispatch_uid="core.text.refuse_control_characters")

        # The rollups follow each county's writes through audit's hook, and register their tasks.
        from .orchestration import upstairs_deadlines  # noqa: F401  (its beat task)
        from .orchestration.rollups import follow, tasks  # noqa: F401

        follow.register()
