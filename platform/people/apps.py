from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "代表"

    def ready(self) -> None:
        # Django's way to wire an app into another once every app is loaded: people takes part in
        # organisation's re-divisions through the hooks organisation publishes (it may not import people).
        # Likewise the password rules of access (a password may not contain the county's ID number).
        # And people runs organisation's background imports (building the acting person needs people).
        from people import imports, passwords, redivision

        redivision.register()
        passwords.register()
        imports.register()
