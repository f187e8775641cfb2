from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the token's OpenAPI security scheme)
