from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tenants.utils import schema_context

from workdays.services import holidays_sync


class Command(BaseCommand):
    help = ("Load China's official holidays and make-up working days (调休) from the `holidays` package for this "
            "year and next (or --year), keeping operators' rows; a year the package has becomes official.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="a year to load (repeatable)")

    def handle(self, *args, **options):
        this_year = timezone.localdate().year
        years = options["year"] or [this_year, this_year + 1]
        with schema_context("public"):
            report = holidays_sync(years=years)
        for year, outcome in sorted(report.items()):
            self.stdout.write(f"{year}: {outcome}")
