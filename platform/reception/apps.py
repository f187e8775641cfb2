from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "reception"
    verbose_name = "接待日"

    def ready(self) -> None:
        # reception takes part in organisation's re-divisions through the hook it publishes (the backdating
        # guard: a re-division may not take effect on or before a record it would move).
        from reception import redivision

        redivision.register()
