"""Operators' admin on the platform host: counties and their domains, regions, accounts, upper-tier roles and
the regions' handling units (with their accounts)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Account,
    County,
    Domain,
    Prefecture,
    Province,
    RegionDeadline,
    RegionMandate,
    RegionRole,
    RegionUnit,
    RollupRun,
    SpareSchema,
)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "division_code", "slug", "province", "prefecture", "status", "schema_name", "created_at"]
    list_filter = ["status", "province"]
    search_fields = ["name", "division_code", "slug"]
    # Schema and codes are fixed at provisioning (manage.py create_county); changing them here would
    # orphan the schema or break the host name.
    readonly_fields = ["schema_name", "division_code", "slug", "created_at"]
    inlines = [DomainInline]

    def has_add_permission(self, request) -> bool:
        return False  # counties are made by provisioning, which clones the template schema

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "division_code"]
    search_fields = ["name", "division_code"]


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["name", "division_code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "division_code"]


class RegionRoleInline(admin.TabularInline):
    model = RegionRole
    extra = 0


@admin.register(Account)
class AccountAdmin(UserAdmin):
    ordering = ["mobile"]
    list_display = ["mobile", "name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["mobile", "name"]
    fieldsets = [
        (None, {"fields": ["mobile", "name", "password"]}),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["mobile", "name", "password1", "password2"]})]
    filter_horizontal = []
    inlines = [RegionRoleInline]


@admin.register(RegionMandate)
class RegionMandateAdmin(admin.ModelAdmin):
    list_display = ["account", "level", "province", "prefecture", "term", "status", "started_on", "ended_on"]
    list_filter = ["level", "status", "province"]
    search_fields = ["account__name", "account__mobile"]
    raw_id_fields = ["account"]


@admin.register(SpareSchema)
class SpareSchemaAdmin(admin.ModelAdmin):
    list_display = ["schema_name", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DriftFilter(admin.SimpleListFilter):
    title = _("偏差")
    parameter_name = "found"

    def lookups(self, request, model_admin):
        return [("yes", _("有偏差")), ("no", _("无偏差"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(drift__gt=0)
        if self.value() == "no":
            return queryset.filter(drift=0)
        return queryset


@admin.register(RollupRun)
class RollupRunAdmin(admin.ModelAdmin):
    """The nightly rebuilds: a county whose drift is not 0 had writes that missed their refresh; a run with
    no county is the province and prefecture rows' and headlines' rebuild."""

    list_display = ["unit", "started_at", "drift", "facts", "duration_ms"]
    list_filter = [DriftFilter, "county__province", "county"]
    date_hierarchy = "started_at"
    readonly_fields = ["county", "started_at", "drift", "facts", "duration_ms"]

    @admin.display(description=_("汇总单位"), ordering="county")
    def unit(self, obj: RollupRun) -> str:
        return str(obj.county) if obj.county_id else str(_("省、州（市）汇总"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegionUnit)
class RegionUnitAdmin(admin.ModelAdmin):
    """A prefecture's or a province's handling unit; its accounts sign in on the platform host and see the
    upstairs items assigned to it."""

    list_display = ["name", "province", "prefecture"]
    list_filter = ["province", "prefecture"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(RegionDeadline)
class RegionDeadlineAdmin(admin.ModelAdmin):
    """A province's or a prefecture's deadline for answering upstairs items (working days); without a row, 30
    working days and a reminder 3 working days before."""

    list_display = ["province", "prefecture", "answer_working_days", "due_soon_working_days"]
    list_filter = ["province"]
