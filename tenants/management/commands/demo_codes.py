from django.core.management.base import BaseCommand

from tenants.orchestration.demo.accounts import demo_codes


class Command(BaseCommand):
    help = "Print the current two-step codes of the demo's administrators, upper-tier staff and operator."

    def handle(self, *args, **options):
        self.stdout.write("演示账号当前的两步验证码（30秒内有效）：")
        for mobile, name, code in demo_codes():
            self.stdout.write(f"  {mobile}  {name}  {code}")
