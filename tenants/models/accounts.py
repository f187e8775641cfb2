from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .regions import Prefecture, Province
from .validators import mobile_validator


class AccountManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, mobile: str, name: str, password: str | None = None, **extra):
        account = self.model(mobile=mobile, name=name, **extra)
        if password:
            account.set_password(password)
        else:
            # Until first login: a person can exist (e.g. a deputy on a roster) without a way in.
            account.set_unusable_password()
        account.full_clean(exclude=["password"])
        account.save(using=self._db)
        return account

    def create_superuser(self, mobile: str, name: str = "平台运维", password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(mobile, name, password, **extra)


class Account(AbstractBaseUser, PermissionsMixin):
    """One identity per person across every county: a mobile number to log in with, and a name.

    Everything else about a person (ID number, mandates, stationing) is kept by the counties that
    know them, in their own schemas.
    """

    mobile = models.CharField(_("手机号码"), max_length=11, unique=True, validators=[mobile_validator])
    name = models.CharField(_("姓名"), max_length=50)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("平台运维人员"), default=False)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return f"{self.name}（{self.mobile[:3]}****{self.mobile[-4:]}）"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class RegionRole(models.Model):
    """An upper-tier staff role: a province's or a prefecture's people's congress office."""

    class Role(models.TextChoices):
        PROVINCE_STAFF = "province_staff", _("省人大工作人员")
        PREFECTURE_STAFF = "prefecture_staff", _("州（市）人大工作人员")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="region_roles",
                                verbose_name=_("账号"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, verbose_name=_("省"))
    prefecture = models.ForeignKey(Prefecture, on_delete=models.CASCADE, null=True, blank=True,
                                   verbose_name=_("州（地级市）"))

    class Meta:
        verbose_name = _("上级人大角色")
        verbose_name_plural = _("上级人大角色")
        constraints = [
            models.UniqueConstraint(fields=["account", "role", "province", "prefecture"], name="region_role_unique"),
            models.CheckConstraint(
                condition=(models.Q(role="province_staff", prefecture__isnull=True)
                           | models.Q(role="prefecture_staff", prefecture__isnull=False)),
                name="region_role_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.name} · {self.get_role_display()} · {self.prefecture or self.province}"

    def clean(self) -> None:
        if self.prefecture_id and self.prefecture.province_id != self.province_id:
            raise ValidationError({"prefecture": _("该州（市）不属于所选的省。")})
