from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

township_code_validator = RegexValidator(r"^\d{9}$", _("乡镇区划代码应为9位数字。"), code="invalid_code")
village_code_validator = RegexValidator(r"^\d{12}$", _("村（社区）区划代码应为12位数字。"), code="invalid_code")


class DatedUnitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class Township(models.Model):
    """A township, town, street or management office. Re-division ends a unit (ended_on) instead of
    deleting it, so what was recorded against it keeps its attribution."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("乡")
        TOWN = "town", _("镇")
        STREET = "street", _("街道")
        OFFICE = "office", _("管理处")

    name = models.CharField(_("名称"), max_length=50)
    division_code = models.CharField(_("区划代码"), max_length=9, blank=True, validators=[township_code_validator])
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.TOWN)
    started_on = models.DateField(_("设立日期"), null=True, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = DatedUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        ordering = ["division_code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(ended_on__isnull=True),
                                    name="township_unique_current_name",
                                    violation_error_message=_("已有同名的乡镇（街道）。")),
            models.UniqueConstraint(fields=["division_code"], condition=Q(ended_on__isnull=True) & ~Q(division_code=""),
                                    name="township_unique_current_code",
                                    violation_error_message=_("已有使用该区划代码的乡镇（街道）。")),
        ]

    def __str__(self) -> str:
        return self.name if self.ended_on is None else f"{self.name}（已撤销）"


class Village(models.Model):
    """A village or urban community. Like a township, re-division (撤并村) ends it instead of deleting it."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="villages",
                                 verbose_name=_("所属乡镇"))
    name = models.CharField(_("名称"), max_length=50)
    division_code = models.CharField(_("区划代码"), max_length=12, blank=True, validators=[village_code_validator])
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.VILLAGE)
    started_on = models.DateField(_("设立日期"), null=True, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = DatedUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("村（社区）")
        verbose_name_plural = _("村（社区）")
        ordering = ["division_code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], condition=Q(ended_on__isnull=True),
                                    name="village_unique_current_name",
                                    violation_error_message=_("该乡镇已有同名的村（社区）。")),
        ]

    def __str__(self) -> str:
        return self.name if self.ended_on is None else f"{self.name}（已撤销）"


class Redivision(models.Model):
    """A merge, split or rename of townships (撤乡并镇 / 区划调整, links: RedivisionLink) or of villages of
    one township (撤并村, village_links: RedivisionVillageLink), effective from a date."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("合并")
        SPLIT = "split", _("拆分")
        RENAME = "rename", _("更名")

    class Level(models.TextChoices):
        TOWNSHIP = "township", _("乡镇（街道）")
        VILLAGE = "village", _("村（社区）")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.TOWNSHIP)
    effective_on = models.DateField(_("生效日期"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("区划调整")
        verbose_name_plural = _("区划调整")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_kind_display()}"


class RedivisionLink(models.Model):
    """One edge old unit -> new unit of a re-division: rollups follow these from the effective date."""

    redivision = models.ForeignKey(Redivision, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="predecessor_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["redivision", "predecessor", "successor"],
                                               name="redivision_link_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class RedivisionVillageLink(models.Model):
    """One edge old village -> new village of a village re-division: a successor's records include its
    predecessors' through merges and renames (organisation.selectors.village_lineages)."""

    redivision = models.ForeignKey(Redivision, on_delete=models.CASCADE, related_name="village_links")
    predecessor = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="predecessor_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["redivision", "predecessor", "successor"],
                                               name="redivision_village_link_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class RedivisionMove(models.Model):
    """Where a re-division found something it moved to a successor township: a village, a venue, or what an
    app above moved (a township mandate). A record dated before the re-division belongs to the place of its
    day, which for a merge only this row can tell (the thing came from one of several sources):
    organisation.selectors.township_on reads it. A village re-division moves venues between villages of one
    township: from_village says which village a venue was of."""

    class Subject(models.TextChoices):
        VILLAGE = "village", _("村（社区）")
        VENUE = "venue", _("站点")
        MANDATE = "mandate", _("代表职务")

    redivision = models.ForeignKey(Redivision, on_delete=models.CASCADE, related_name="moves")
    subject = models.CharField(max_length=16, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField()
    from_township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+")
    from_village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["subject", "subject_id"], name="redivision_move_subject")]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.subject_id} ← {self.from_township_id}"
