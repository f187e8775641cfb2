from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reception", "0002_reception_issue_opinion")]

    operations = [
        migrations.AddField(
            model_name="receptionsession",
            name="provisional",
            field=models.BooleanField(default=False, verbose_name="暂定"),
        ),
    ]
