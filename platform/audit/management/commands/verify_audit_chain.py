"""manage.py verify_audit_chain [--county SLUG …] [--platform] [--all]: walks each audit chain and names the
first row that does not hold; exits 1 when any chain is broken."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from core.chain import chain_adopt, chain_verify
from tenants.models import County

from ...services import chain_models


class Command(BaseCommand):
    help = "核验操作记录哈希链：每个县（及平台）的链是否完整，断裂时指出第一条有问题的记录。"

    def add_arguments(self, parser):
        parser.add_argument("--county", action="append", default=[], help="县的域名标识（slug），可重复")
        parser.add_argument("--platform", action="store_true", help="核验平台（公共模式）的操作记录")
        parser.add_argument("--all", action="store_true", help="核验所有县和平台")

    def handle(self, *args, **options):
        counties = list(County.objects.filter(slug__in=options["county"]))
        missing = set(options["county"]) - {c.slug for c in counties}
        if missing:
            raise CommandError(f"没有这些县：{', '.join(sorted(missing))}")
        if options["all"]:
            counties = list(County.objects.filter(status=County.Status.ACTIVE).order_by("slug"))
        chains = [(f"{c.name}（{c.slug}）", c.schema_name) for c in counties]
        if options["platform"] or options["all"]:
            chains.append(("平台", "public"))
        if not chains:
            raise CommandError("请指定 --county、--platform 或 --all。")
        broken = 0
        for label, schema in chains:
            with schema_context(schema):
                chain_adopt(*chain_models())  # rows from before the chain, once
                check = chain_verify(*chain_models())
            if check.ok:
                self.stdout.write(f"{label}：{check.checked} 条记录，哈希链完整。")
            else:
                broken += 1
                what = "与上一条的链接不符" if check.reason == "prev_hash" else "内容与哈希不符"
                self.stdout.write(f"{label}：哈希链断裂，第一条有问题的记录编号 {check.broken_id}（{what}）。")
                self.stdout.write(f"BROKEN {schema} {check.broken_id}")
        if broken:
            raise CommandError(f"{broken} 条哈希链断裂。", returncode=1)
