from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.orchestration.backup import county_backup


class Command(BaseCommand):
    help = "Write one county (its schema, its public rows and accounts, its media) to one backup file."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="the county's slug")
        parser.add_argument("--out", required=True, type=Path, help="the backup file to write (.tar.gz)")

    def handle(self, *args, county, out, **options):
        try:
            manifest = county_backup(slug=county, out=out)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"已备份 {county}：{len(manifest['tables'])} 张表 {rows} 行，"
                          f"{sum(1 for n in manifest['files'] if n.startswith('media/'))} 个文件 → {out}")
