from django.core.management.base import BaseCommand

from tenants.services.fleet import migrate_fleet
from tenants.services.spares import spares_fill


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the county template and every spare and county schema, skipping those "
        "up to date; then top up the pool of spare schemas."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema", action="append", dest="schemas", help="only these county schemas")
        parser.add_argument("--no-spares", action="store_true", help="do not top up the spare schemas")

    def handle(self, *args, schemas=None, no_spares=False, **options):
        report = migrate_fleet(schemas=schemas)
        self.stdout.write(report.summary())
        if not no_spares:
            made = spares_fill()
            if made:
                self.stdout.write(f"{made} spare county schemas made")
