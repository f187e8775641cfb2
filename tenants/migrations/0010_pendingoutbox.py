from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("tenants", "0009_region_rollups")]

    operations = [
        migrations.CreateModel(
            name="PendingOutbox",
            fields=[
                ("schema_name", models.CharField(max_length=63, primary_key=True, serialize=False)),
                ("marked_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        # Every county once: outboxes written before the marker existed get one sweep, which clears the rest.
        migrations.RunSQL(
            "INSERT INTO tenants_pendingoutbox (schema_name, marked_at) SELECT schema_name, now() FROM tenants_county",
            migrations.RunSQL.noop,
        ),
    ]
