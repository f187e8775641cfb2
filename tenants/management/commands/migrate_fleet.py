from django.core.management.base import BaseCommand

from tenants.services.fleet import migrate_fleet


class Command(BaseCommand):
    help = "Migrate the public schema, the county template and every county schema, skipping those up to date."

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", dest="schemas", help="only these county schemas")

    def handle(self, *args, schemas=None, **options):
        report = migrate_fleet(schemas=schemas)
        self.stdout.write(report.summary())
