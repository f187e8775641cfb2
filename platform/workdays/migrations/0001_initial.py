from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(unique=True, verbose_name="日期")),
                ("kind", models.CharField(choices=[("holiday", "法定节假日（休息）"), ("workday", "调休上班")],
                                          max_length=16, verbose_name="类型")),
                ("name", models.CharField(blank=True, max_length=40, verbose_name="节日")),
            ],
            options={"verbose_name": "节假日与调休", "verbose_name_plural": "节假日与调休", "ordering": ["date"]},
        ),
    ]
