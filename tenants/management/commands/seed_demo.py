import os

from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.orchestration.demo import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Create the demo counties (Dongkou, Enshi, Haifeng) and their people; safe to run again."

    def handle(self, *args, **options):
        logins = seed()
        port = os.environ.get("JIAZHAN_PORT", "8000")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in logins:
            host = f"{login.slug}.{settings.PLATFORM_HOST}" if login.slug else settings.PLATFORM_HOST
            self.stdout.write(f"  http://{host}:{port}/  {login.mobile}  {login.name}（{login.role}）")
        self.stdout.write("管理员、省州工作人员与平台运维登录时须两步验证：当前验证码用 "
                          "`.venv/bin/python manage.py demo_codes` 查看"
                          "（县级管理员也可选短信验证码，短信打印在本窗口）。")
