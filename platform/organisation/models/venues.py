from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Township, Village


class Venue(models.Model):
    """A place where deputies meet constituents: a county station, a township home or central station,
    a village station, or a project or sector station."""

    class Kind(models.TextChoices):
        COUNTY_STATION = "county_station", _("县级代表联络站")
        HOME = "home", _("代表之家")
        CENTRAL_STATION = "central_station", _("中心联络站")
        VILLAGE_STATION = "village_station", _("村（社区）联络站")
        PROJECT_STATION = "project_station", _("民生项目联络站")
        SECTOR_STATION = "sector_station", _("行业（专题）联络站")

    class Status(models.TextChoices):
        PLANNED = "planned", _("规划中")
        BUILDING = "building", _("建设中")
        OPEN = "open", _("已建成运行")
        CLOSED = "closed", _("已关闭")

    TOWNSHIP_KINDS = (Kind.HOME, Kind.CENTRAL_STATION)

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True, related_name="venues",
                                 verbose_name=_("所属乡镇"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True, related_name="venues",
                                verbose_name=_("所在村（社区）"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("代表之家（联络站）")
        verbose_name_plural = _("代表之家（联络站）")
        ordering = ["township__division_code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="venue_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def clean(self) -> None:
        problem = venue_place_problem(self.kind, self.township if self.township_id else None,
                                      self.village if self.village_id else None)
        if problem:
            raise ValidationError({problem[0]: problem[1]})


def _same(a: models.Model, b: models.Model) -> bool:
    return a is b or (a.pk is not None and a.pk == b.pk)


def venue_place_problem(kind: str, township: Township | None, village: Village | None) -> tuple[str, str] | None:
    """Where a venue of this kind may be: (field, message) of the first rule broken, or None. The units
    may be unsaved (an import checks rows before writing any), so they are compared as objects."""
    if kind == Venue.Kind.VILLAGE_STATION and village is None:
        return "village", _("村（社区）联络站须选择所在村（社区）。")
    if kind in Venue.TOWNSHIP_KINDS and township is None:
        return "township", _("代表之家、中心联络站须选择所属乡镇。")
    if kind == Venue.Kind.COUNTY_STATION and (township or village):
        return "township", _("县级联络站不属于某个乡镇。")
    if village is not None and township is not None and not _same(village.township, township):
        return "village", _("该村（社区）不属于所选乡镇。")
    return None


def venue_photo_path(instance: "VenuePhoto", filename: str) -> str:
    return f"venues/{instance.venue_id}/{filename}"


class VenuePhoto(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=venue_photo_path)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("站点照片")
        verbose_name_plural = _("站点照片")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class ConstructionFunding(models.Model):
    """A township's station-building money for a year (004 篇一: budget, disbursed by finance, spent)."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="fundings",
                                 verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    budget = models.DecimalField(_("预算（万元）"), max_digits=10, decimal_places=2, default=0)
    disbursed = models.DecimalField(_("财政已拨付（万元）"), max_digits=10, decimal_places=2, default=0)
    spent = models.DecimalField(_("已使用（万元）"), max_digits=10, decimal_places=2, default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("建设经费")
        verbose_name_plural = _("建设经费")
        ordering = ["-year", "township__division_code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="funding_unique_year"),
            models.CheckConstraint(condition=models.Q(budget__gte=0, disbursed__gte=0, spent__gte=0),
                                   name="funding_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.year}"
