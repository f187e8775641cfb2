from django.db import migrations

CATEGORIES = ["工业经济", "营商环境", "民生事业", "城建交通", "教科文卫", "农业农村", "环境保护", "社会保障", "扶贫脱贫"]
ROUTES = [("village", "township"), ("township", "township"), ("county", "suggestion"),
          ("prefecture", "escalate"), ("province", "escalate"), ("policy", "close")]


def seed(apps, schema_editor):
    """Every county starts with source 001's nine categories and 004 篇三's routing; both are editable."""
    Category = apps.get_model("casework", "OpinionCategory")
    RoutingRule = apps.get_model("casework", "RoutingRule")
    for position, name in enumerate(CATEGORIES, 1):
        Category.objects.get_or_create(name=name, defaults={"position": position})
    for jurisdiction, route in ROUTES:
        RoutingRule.objects.get_or_create(jurisdiction=jurisdiction, defaults={"route": route})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
