from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import division_code_validator


class Province(models.Model):
    """A province-level region (省/自治区/直辖市): the upper tier of a deployment."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    division_code = models.CharField(_("行政区划代码"), max_length=6, unique=True, validators=[division_code_validator])

    class Meta:
        verbose_name = _("省")
        verbose_name_plural = _("省")
        ordering = ["division_code"]

    def __str__(self) -> str:
        return self.name


class Prefecture(models.Model):
    """A prefecture-level region (州/地级市) inside a province."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="prefectures",
                                 verbose_name=_("所属省"))
    name = models.CharField(_("名称"), max_length=50)
    division_code = models.CharField(_("行政区划代码"), max_length=6, unique=True, validators=[division_code_validator])

    class Meta:
        verbose_name = _("州（地级市）")
        verbose_name_plural = _("州（地级市）")
        ordering = ["division_code"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="prefecture_unique_name")]

    def __str__(self) -> str:
        return self.name
