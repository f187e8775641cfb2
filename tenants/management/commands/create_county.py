from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Prefecture, Province
from tenants.orchestration.provisioning import county_provision


class Command(BaseCommand):
    help = "Create a county (schema, domain, first administrator) from the migrated template."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--code", required=True, help="6-digit administrative division code")
        parser.add_argument("--slug", required=True, help="host label: <slug>.<PLATFORM_HOST>")
        parser.add_argument("--province", required=True, help="province division code")
        parser.add_argument("--prefecture", help="prefecture division code")
        parser.add_argument("--admin-mobile", required=True)
        parser.add_argument("--admin-name", required=True)

    def handle(self, *args, **o):
        province = Province.objects.filter(division_code=o["province"]).first()
        if province is None:
            raise CommandError(f"没有区划代码为 {o['province']} 的省。")
        prefecture = None
        if o["prefecture"]:
            prefecture = Prefecture.objects.filter(division_code=o["prefecture"]).first()
            if prefecture is None:
                raise CommandError(f"没有区划代码为 {o['prefecture']} 的州（市）。")
        try:
            county = county_provision(
                name=o["name"], division_code=o["code"], slug=o["slug"], province=province,
                prefecture=prefecture, admin_mobile=o["admin_mobile"], admin_name=o["admin_name"],
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()] \
                if hasattr(exc, "error_dict") else exc.messages
            raise CommandError("未能创建：\n" + "\n".join(lines)) from exc
        self.stdout.write(f"已创建 {county.name}（{county.schema_name}）")
