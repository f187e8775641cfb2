"""The State Council's published holiday arrangements for 2025 and 2026 (国务院办公厅关于节假日安排的通知).
Later years are added by operators in the admin when they are published."""

import datetime as dt

from django.db import migrations

HOLIDAYS = {
    2025: [("元旦", "01-01", "01-01"), ("春节", "01-28", "02-04"), ("清明节", "04-04", "04-06"),
           ("劳动节", "05-01", "05-05"), ("端午节", "05-31", "06-02"), ("国庆节、中秋节", "10-01", "10-08")],
    2026: [("元旦", "01-01", "01-03"), ("春节", "02-15", "02-23"), ("清明节", "04-04", "04-06"),
           ("劳动节", "05-01", "05-05"), ("端午节", "06-19", "06-21"), ("中秋节", "09-25", "09-27"),
           ("国庆节", "10-01", "10-07")],
}
MAKE_UP_WORKDAYS = {
    2025: [("春节", "01-26"), ("春节", "02-08"), ("劳动节", "04-27"), ("国庆节、中秋节", "09-28"),
           ("国庆节、中秋节", "10-11")],
    2026: [("元旦", "01-04"), ("春节", "02-14"), ("春节", "02-28"), ("劳动节", "05-09"), ("国庆节", "09-20"),
           ("国庆节", "10-10")],
}


def _date(year: int, month_day: str) -> dt.date:
    month, day = month_day.split("-")
    return dt.date(year, int(month), int(day))


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    rows = []
    for year, spans in HOLIDAYS.items():
        for name, first, last in spans:
            day, end = _date(year, first), _date(year, last)
            while day <= end:
                rows.append(CalendarDay(date=day, kind="holiday", name=name))
                day += dt.timedelta(days=1)
    for year, days in MAKE_UP_WORKDAYS.items():
        rows += [CalendarDay(date=_date(year, md), kind="workday", name=name) for name, md in days]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(date__year__in=[2025, 2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
