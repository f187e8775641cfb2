from django.db import models
from django.utils.translation import gettext_lazy as _


class HandlingUnit(models.Model):
    """A unit that answers suggestions: a government department, the court or the procuratorate."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.GOVERNMENT)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
