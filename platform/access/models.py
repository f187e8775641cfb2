from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县人大常委会管理员")
    TOWNSHIP_STAFF = "township_staff", _("乡镇人大主席团工作人员")
    STATION_STAFF = "station_staff", _("联络站工作人员")
    DEPUTY = "deputy", _("人大代表")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    OPINION_OBSERVER = "opinion_observer", _("民意观察员")


class Membership(models.Model):
    """What one person may do in this county: a role (and, from the organisation model, its scope).

    The account lives in the public schema; the key to it carries no database constraint, since a
    constraint from every county schema would put a trigger per county on the account table.
    """

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+", verbose_name=_("账号"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [models.UniqueConstraint(fields=["account", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["account", "is_active"], name="membership_account_active")]

    def __str__(self) -> str:
        return f"{self.account_id} · {self.get_role_display()}"
