from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "成员与权限"

    def ready(self) -> None:
        # Django's way to connect signal receivers once every app is loaded.
        from access import signals  # noqa: F401
