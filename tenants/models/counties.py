from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .regions import Prefecture, Province
from .validators import division_code_validator, slug_validator


class County(TenantMixin):
    """A county, county-level city or district: one tenant, one PostgreSQL schema."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("运行中")
        SUSPENDED = "suspended", _("已停用")

    name = models.CharField(_("名称"), max_length=50)
    division_code = models.CharField(_("行政区划代码"), max_length=6, unique=True, validators=[division_code_validator])
    slug = models.CharField(_("域名标识"), max_length=40, unique=True, validators=[slug_validator])
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties", verbose_name=_("省"))
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="counties", null=True,
                                   blank=True, verbose_name=_("州（地级市）"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    is_public = False

    # Schemas are made by tenants.orchestration.provisioning (cloning the template), never on save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("县（市、区）")
        verbose_name_plural = _("县（市、区）")
        ordering = ["division_code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Domain(DomainMixin):
    """A host name that serves one county (<slug>.<platform host>, or a custom domain)."""

    class Meta:
        verbose_name = _("域名")
        verbose_name_plural = _("域名")
