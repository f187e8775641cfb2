"""The upper tiers' inbox: county cases escalated to a prefecture or a province (004 篇三: 商请上级代表小组组长，
以上级人大代表建议形式书面报送). The row lives in the public schema, where that level's staff read it; the
county case refers to it by id and reads its status and updates from here (one source of truth)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Escalation(models.Model):
    class Level(models.TextChoices):
        PREFECTURE = "prefecture", _("州（市）级")
        PROVINCE = "province", _("省级")

    class Status(models.TextChoices):
        OPEN = "open", _("待受理")
        ACCEPTED = "accepted", _("已受理办理中")
        DRAFTED = "drafted", _("答复待审核")
        ANSWERED = "answered", _("已答复")
        RETURNED = "returned", _("已退回县级")
        WITHDRAWN = "withdrawn", _("县级已办结")

    county = models.ForeignKey("tenants.County", on_delete=models.PROTECT, related_name="escalations",
                               verbose_name=_("县"))
    case_id = models.BigIntegerField(_("县案件编号"))
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    province = models.ForeignKey("tenants.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("省"))
    prefecture = models.ForeignKey("tenants.Prefecture", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("州（地级市）"))
    summary = models.TextField(_("事由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    routing_note = models.TextField(_("县级分办说明"), blank=True)
    rounds = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    draft_answer = models.TextField(_("答复草稿"), blank=True)
    draft_unit = models.ForeignKey("tenants.RegionUnit", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("起草单位"))
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The day it reached the level it is at now (opened, forwarded, sent again, a new round): its deadline
    # counts from here, in working days (RegionDeadline; tenants.orchestration.upstairs_deadlines).
    arrived_on = models.DateField(_("到达本级日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Not stored: the transition row of the last step taken through this instance (escalation_step sets it),
    # which notices name in their dedupe keys.
    last_step: "EscalationTransition | None" = None

    class Meta:
        verbose_name = _("上报事项")
        verbose_name_plural = _("上报事项")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["county", "case_id"], name="escalation_one_per_case")]
        indexes = [models.Index(fields=["level", "province", "prefecture", "status"], name="escalation_inbox"),
                   models.Index(fields=["level", "prefecture", "-created_at", "-id"],
                                name="escalation_prefecture_recent"),
                   models.Index(fields=["level", "province", "-created_at", "-id"], name="escalation_province_recent")]

    def __str__(self) -> str:
        return f"{self.county_id}#{self.case_id}"

    @property
    def step_key(self) -> str:
        """Names the last step taken through this instance (its transition row)."""
        return str(self.last_step.pk) if self.last_step is not None else ""


class EscalationUpdate(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField(_("进展"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理进展")
        verbose_name_plural = _("办理进展")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


# The one state machine of an upstairs item: from -> the statuses it may go to. A forward (prefecture ->
# province, or back down) changes the level and starts the item afresh there (-> open); a return hands it
# back to the county (which may route it again: -> open); an "unsatisfied" on the answer opens a new round.
ESCALATION_TRANSITIONS: dict[str, set[str]] = {
    Escalation.Status.OPEN: {Escalation.Status.ACCEPTED, Escalation.Status.OPEN, Escalation.Status.ANSWERED,
                             Escalation.Status.RETURNED, Escalation.Status.WITHDRAWN},
    Escalation.Status.ACCEPTED: {Escalation.Status.ACCEPTED, Escalation.Status.OPEN, Escalation.Status.DRAFTED,
                                 Escalation.Status.ANSWERED, Escalation.Status.RETURNED, Escalation.Status.WITHDRAWN},
    Escalation.Status.DRAFTED: {Escalation.Status.ACCEPTED, Escalation.Status.DRAFTED, Escalation.Status.OPEN,
                                Escalation.Status.ANSWERED, Escalation.Status.RETURNED, Escalation.Status.WITHDRAWN},
    Escalation.Status.ANSWERED: {Escalation.Status.OPEN},
    Escalation.Status.RETURNED: {Escalation.Status.OPEN, Escalation.Status.WITHDRAWN},
    Escalation.Status.WITHDRAWN: set(),
}
# Where the upper tier may still act (the county's own steps aside).
ESCALATION_LIVE = (Escalation.Status.OPEN, Escalation.Status.ACCEPTED, Escalation.Status.DRAFTED)


class EscalationTransition(models.Model):
    """One step of an upstairs item, in either direction: who (an account, or a label such as 选民 or the
    county), what (the action code), from which status and level to which, why, in which round."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=24)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Escalation.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Escalation.Status.choices)
    from_level = models.CharField(_("原层级"), max_length=16, choices=Escalation.Level.choices, blank=True)
    to_level = models.CharField(_("新层级"), max_length=16, choices=Escalation.Level.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    actor_label = models.CharField(_("操作方"), max_length=50, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上报事项流转记录")
        verbose_name_plural = _("上报事项流转记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalation_id}: {self.from_status} → {self.to_status}"


class RegionUnit(models.Model):
    """A handling unit of a prefecture or a province (州住建局, 省交通运输厅 …): the region's staff assign
    upstairs items to it; its accounts sign in on the platform host and see only the items assigned to it."""

    province = models.ForeignKey("tenants.Province", on_delete=models.CASCADE, related_name="units",
                                 verbose_name=_("省"))
    prefecture = models.ForeignKey("tenants.Prefecture", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="units", verbose_name=_("州（地级市）"))
    name = models.CharField(_("名称"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="region_units",
                                     verbose_name=_("单位账号"))

    class Meta:
        verbose_name = _("上级承办单位")
        verbose_name_plural = _("上级承办单位")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["province", "prefecture", "name"], name="region_unit_unique",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return Escalation.Level.PREFECTURE if self.prefecture_id else Escalation.Level.PROVINCE


class EscalationAssignment(models.Model):
    """An upstairs item given to one of the region's units for this round; a forward, a return or a new
    round ends it (is_active False), so the unit no longer sees the item."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(RegionUnit, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("承办单位"))
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("上报事项交办")
        verbose_name_plural = _("上报事项交办")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["escalation", "unit"], condition=models.Q(is_active=True),
                                               name="escalation_assignment_one_active")]
        indexes = [models.Index(fields=["unit", "escalation"], condition=models.Q(is_active=True),
                                name="escalation_assignment_unit")]

    def __str__(self) -> str:
        return f"{self.escalation_id} → {self.unit_id}"


class RegionDeadline(models.Model):
    """How many working days a province or a prefecture gives itself to answer an upstairs item, and how
    many before the deadline its staff and units are reminded; a region without a row uses the defaults."""

    DEFAULT_ANSWER_DAYS = 30
    DEFAULT_DUE_SOON_DAYS = 3

    province = models.ForeignKey("tenants.Province", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("省"))
    prefecture = models.ForeignKey("tenants.Prefecture", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("州（地级市）"))
    answer_working_days = models.PositiveSmallIntegerField(
        _("答复期限（工作日）"), default=DEFAULT_ANSWER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(120)])
    due_soon_working_days = models.PositiveSmallIntegerField(
        _("到期前提醒（工作日）"), default=DEFAULT_DUE_SOON_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)])

    class Meta:
        verbose_name = _("上级办理期限")
        verbose_name_plural = _("上级办理期限")
        constraints = [models.UniqueConstraint(fields=["province", "prefecture"], name="region_deadline_unique",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.prefecture or self.province}：{self.answer_working_days}"
