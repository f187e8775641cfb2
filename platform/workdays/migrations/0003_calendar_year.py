"""Which years are official (CalendarYear), and who wrote each calendar row (so a re-sync keeps operators'
edits). The rows shipped in 0002 are the State Council's, so they are `official`; 2025 and 2026 are
official years."""

from django.db import migrations, models


def mark_shipped_years(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    for year in (2025, 2026):
        CalendarYear.objects.update_or_create(
            year=year, defaults={"status": "official", "source": "国务院办公厅通知（随代码发布）"})


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_official_2025_2026")]

    operations = [
        migrations.AddField(
            model_name="calendarday",
            name="source",
            field=models.CharField(choices=[("official", "国务院通知（自动载入）"), ("operator", "运维人员录入")],
                                   default="official", max_length=16, verbose_name="来源"),
        ),
        migrations.AlterField(
            model_name="calendarday",
            name="source",
            field=models.CharField(choices=[("official", "国务院通知（自动载入）"), ("operator", "运维人员录入")],
                                   default="operator", max_length=16, verbose_name="来源"),
        ),
        migrations.CreateModel(
            name="CalendarYear",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年度")),
                ("status", models.CharField(choices=[("official", "正式"), ("provisional", "暂定")],
                                            default="provisional", max_length=16, verbose_name="状态")),
                ("source", models.CharField(blank=True, max_length=80, verbose_name="数据来源")),
                ("loaded_at", models.DateTimeField(blank=True, null=True, verbose_name="载入时间")),
            ],
            options={"verbose_name": "日历年度", "verbose_name_plural": "日历年度", "ordering": ["year"]},
        ),
        migrations.RunPython(mark_shipped_years, migrations.RunPython.noop),
    ]
