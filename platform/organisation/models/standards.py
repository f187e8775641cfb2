from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .venues import Venue


class StandardTemplate(models.Model):
    """A station checklist ("six haves", "nine haves", ...): provinces differ, so each county edits its own."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("建站标准")
        verbose_name_plural = _("建站标准")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_score(self) -> int:
        return sum(item.points for item in self.items.all())


class StandardItem(models.Model):
    template = models.ForeignKey(StandardTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("内容"), max_length=200)
    points = models.PositiveSmallIntegerField(_("分值"), default=10)

    class Meta:
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Assessment(models.Model):
    """One assessment of a venue against a standard: which items are met, with evidence; score and stars."""

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="assessments",
                              verbose_name=_("站点"))
    # The township the venue belonged to on the day: a later re-division moves the venue, not its history.
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assessments", verbose_name=_("时属乡镇"))
    template = models.ForeignKey(StandardTemplate, on_delete=models.PROTECT, verbose_name=_("标准"))
    assessed_on = models.DateField(_("评定日期"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="+", verbose_name=_("评定人"))
    score = models.PositiveSmallIntegerField(_("得分"), default=0)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=0)
    stars = models.PositiveSmallIntegerField(_("星级"), default=0)
    note = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("站点评定")
        verbose_name_plural = _("站点评定")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.venue} {self.assessed_on} {self.stars}星"


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT)
    met = models.BooleanField(_("达标"), default=False)
    evidence = models.CharField(_("佐证"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="assessment_item_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {'✓' if self.met else '✗'}"
