from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.rules import CountyRule


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县人大常委会管理员")
    TOWNSHIP_STAFF = "township_staff", _("乡镇人大主席团工作人员")
    STATION_STAFF = "station_staff", _("联络站工作人员")
    DEPUTY = "deputy", _("人大代表")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    OPINION_OBSERVER = "opinion_observer", _("民意观察员")


class StaffPosition(models.TextChoices):
    HEAD = "head", _("站长")
    VICE_HEAD = "vice_head", _("副站长")
    LIAISON_OFFICER = "liaison_officer", _("联络员")
    LEGISLATIVE_INFORMATION_OFFICER = "legislative_information_officer", _("立法信息员")


# Which scope each role needs: a township's presidium staff act for one township, a station's staff for
# one venue, a handling unit's people for one unit; the others act county-wide (or, deputies, for themselves).
SCOPE_OF_ROLE = {
    "township_staff": "township",
    "station_staff": "venue",
    "handling_unit": "handling_unit",
}


class Membership(models.Model):
    """What one person may do in this county: a role, and the scope it applies to.

    The account lives in the public schema; the key to it carries no database constraint, since a
    constraint from every county schema would put a trigger per county on the account table.
    """

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+", verbose_name=_("账号"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="memberships", verbose_name=_("所辖乡镇"))
    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="memberships", verbose_name=_("所在站点"))
    handling_unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="memberships", verbose_name=_("承办单位"))
    position = models.CharField(_("站内职务"), max_length=40, choices=StaffPosition.choices, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [
            models.UniqueConstraint(fields=["account", "role", "township", "venue", "handling_unit"],
                                    nulls_distinct=False, name="membership_unique_role_scope"),
            # An active role needs its scope; rows from before scopes existed stay, deactivated.
            models.CheckConstraint(
                condition=models.Q(is_active=False)
                | ((~models.Q(role="township_staff") | models.Q(township__isnull=False))
                   & (~models.Q(role="station_staff") | models.Q(venue__isnull=False))
                   & (~models.Q(role="handling_unit") | models.Q(handling_unit__isnull=False))),
                name="membership_role_has_scope",
            ),
        ]
        indexes = [models.Index(fields=["account", "is_active"], name="membership_account_active")]

    def __str__(self) -> str:
        return f"{self.account_id} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A machine's key to this county's API: it acts as one account with one of that account's roles (and
    that role's scopes), in this county only (the row lives in the county's schema). Only a hash of the key
    is kept; the key is shown once, when made."""

    name = models.CharField(_("名称"), max_length=100)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+", verbose_name=_("代表账号"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
class SigninRule(CountyRule):
    """How long a staff member's session may sit idle in this county before it ends."""

    idle_minutes = models.PositiveSmallIntegerField(
        _("工作人员闲置自动退出（分钟）"), default=30, validators=[MinValueValidator(5), MaxValueValidator(720)])

    class Meta:
        verbose_name = _("登录规则")
        verbose_name_plural = _("登录规则")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
