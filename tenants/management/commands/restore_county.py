from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.orchestration.backup import county_restore


class Command(BaseCommand):
    help = ("Restore a county from a backup_county file, into a fresh deployment or under a new slug; "
            "all or nothing, refused if the slug (or division code) is taken.")

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--slug", help="restore under this slug instead of the backup's")
        parser.add_argument("--division-code", help="restore under this division code (needed beside the original)")

    def handle(self, *args, file, slug=None, division_code=None, **options):
        try:
            report = county_restore(path=file, slug=slug, division_code=division_code)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已恢复 {report.county.slug}（{report.county.name}，模式 {report.county.schema_name}）："
                          f"{report.tables} 张表 {report.rows} 行，{report.media_files} 个文件；账号新建 "
                          f"{report.accounts_made} 个，沿用 {report.accounts_matched} 个。")
