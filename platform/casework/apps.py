from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "社情民意与代表建议"

    def ready(self) -> None:
        # casework takes part in organisation's re-divisions through the hook it publishes (the backdating
        # guard: a re-division may not take effect on or before a record it would move).
        from casework import redivision

        redivision.register()
