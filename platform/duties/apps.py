from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = "履职"

    def ready(self) -> None:
        # duties takes part in organisation's re-divisions through the hook it publishes (the backdating
        # guard: a re-division may not take effect on or before a record it would move).
        from duties import redivision

        redivision.register()
