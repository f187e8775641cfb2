from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear
from .services import calendar_year_mark_official


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"
    search_fields = ("name",)
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.OPERATOR  # an operator's row: `sync_holidays` keeps it
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "source", "loaded_at")
    readonly_fields = ("status", "source", "loaded_at")
    actions = ["mark_official"]

    @admin.action(description=_("标记为正式（节假日与调休已全部录入）"))
    def mark_official(self, request, queryset):
        for row in queryset:
            calendar_year_mark_official(year=row.year, source=f"运维人员 {request.user}")
        self.message_user(request, _("已标记为正式；各县暂定接待日将按新日历重新安排。"), messages.SUCCESS)
