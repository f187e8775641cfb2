from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.search import Bigrams, BigramVectorField


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    TOWNSHIP_HANDLING = "township_handling", _("乡镇办理中")
    SUGGESTION = "suggestion", _("转为代表建议")
    ESCALATED = "escalated", _("已逐级上报")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已并案")


# The one state machine of a case: from -> the statuses it may go to.
CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.RECEIVED: {CaseStatus.TOWNSHIP_HANDLING, CaseStatus.SUGGESTION, CaseStatus.ESCALATED,
                          CaseStatus.CLOSED, CaseStatus.MERGED},
    CaseStatus.TOWNSHIP_HANDLING: {CaseStatus.ANSWERED, CaseStatus.CLOSED},
    CaseStatus.SUGGESTION: {CaseStatus.ANSWERED, CaseStatus.CLOSED},
    # An upper level may hand an escalated case back: the county routes or handles it anew.
    CaseStatus.ESCALATED: {CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.RECEIVED},
    # An answer the constituent is unsatisfied with goes back to whoever handled it.
    CaseStatus.ANSWERED: {CaseStatus.CLOSED, CaseStatus.TOWNSHIP_HANDLING, CaseStatus.SUGGESTION,
                          CaseStatus.ESCALATED},
    CaseStatus.CLOSED: set(),
    CaseStatus.MERGED: set(),
}
OPEN_CASE_STATUSES = [CaseStatus.RECEIVED, CaseStatus.TOWNSHIP_HANDLING, CaseStatus.SUGGESTION,
                      CaseStatus.ESCALATED, CaseStatus.ANSWERED]


class Jurisdiction(models.TextChoices):
    """Whose power the matter falls under (004 篇三: 按管辖权的不同规范进行办理)."""

    VILLAGE = "village", _("村（社区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    COUNTY = "county", _("县级")
    PREFECTURE = "prefecture", _("州（市）级")
    PROVINCE = "province", _("省级")
    POLICY = "policy", _("政策解释可以答复")


class Route(models.TextChoices):
    TOWNSHIP = "township", _("交乡镇（街道）有关部门办理并督促")
    SUGGESTION = "suggestion", _("形成书面代表建议，送县人大常委会交办")
    ESCALATE = "escalate", _("商请上级代表小组组长，逐级上报")
    CLOSE = "close", _("作政策解释后办结")


ROUTE_STATUS: dict[str, str] = {Route.TOWNSHIP: CaseStatus.TOWNSHIP_HANDLING, Route.SUGGESTION: CaseStatus.SUGGESTION,
                Route.ESCALATE: CaseStatus.ESCALATED, Route.CLOSE: CaseStatus.CLOSED}


class RoutingRule(models.Model):
    """Where a matter goes, by jurisdiction: county data, editable; defaults from 004 篇三."""

    jurisdiction = models.CharField(_("管辖"), max_length=16, choices=Jurisdiction.choices, unique=True)
    route = models.CharField(_("去向"), max_length=16, choices=Route.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("分办规则")
        verbose_name_plural = _("分办规则")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_jurisdiction_display()} → {self.get_route_display()}"


DEFAULT_ROUTES = [
    (Jurisdiction.VILLAGE, Route.TOWNSHIP), (Jurisdiction.TOWNSHIP, Route.TOWNSHIP),
    (Jurisdiction.COUNTY, Route.SUGGESTION), (Jurisdiction.PREFECTURE, Route.ESCALATE),
    (Jurisdiction.PROVINCE, Route.ESCALATE), (Jurisdiction.POLICY, Route.CLOSE),
]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class CaseManager(models.Manager):
    """Cases without their search vector: PostgreSQL writes and reads it (core.search); fetching it would
    only carry a few hundred bigrams per row to Python for nothing."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer("search")


class Case(models.Model):
    """A matter constituents raised, handled as one (several opinions after a merge)."""

    summary = models.CharField(_("事由"), max_length=200)
    category = models.ForeignKey("casework.OpinionCategory", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="cases", verbose_name=_("类别"))
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("乡镇（街道）"))
    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("站点"))
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="cases_received", verbose_name=_("接收代表"))
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    jurisdiction = models.CharField(_("管辖"), max_length=16, choices=Jurisdiction.choices, blank=True)
    received_on = models.DateField(_("收到日期"))
    routed_on = models.DateField(_("分办日期"), null=True, blank=True)
    feedback_due_on = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback_sent_on = models.DateField(_("已反馈日期"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_cases", verbose_name=_("并入案件"))
    escalation_id = models.BigIntegerField(_("上报编号"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    constituent_rating = models.CharField(_("选民评价"), max_length=24, choices=Rating.choices, blank=True)
    # 公开答复: None follows the category's choice (OpinionCategory.publish_answers); True or False is the
    # county's decision for this case. Only the anonymised summary and answer are ever shown
    # (casework.publication).
    published = models.BooleanField(_("公开答复"), null=True, blank=True, default=None)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The summary's bigrams for the case list's text search (core.search), kept by PostgreSQL on every write.
    search = models.GeneratedField(expression=Bigrams("summary"), output_field=BigramVectorField(), db_persist=True)

    objects = CaseManager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="case_recent"),
            models.Index(fields=["status", "-received_on", "-id"], name="case_status_recent"),
            models.Index(fields=["township", "-received_on", "-id"], name="case_township_recent"),
            models.Index(fields=["category", "-received_on", "-id"], name="case_category_recent"),
            models.Index(fields=["venue", "-received_on", "-id"], name="case_venue_recent"),
            models.Index(fields=["deputy", "-received_on", "-id"], name="case_deputy_recent"),
            models.Index(fields=["feedback_due_on"], condition=models.Q(feedback_sent_on__isnull=True),
                         name="case_feedback_due"),
            GinIndex(fields=["search"], name="case_search"),
        ]

    def __str__(self) -> str:
        return self.summary


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                              null=True, blank=True, related_name="+", verbose_name=_("操作人"))
    actor_label = models.CharField(_("操作方"), max_length=50, blank=True)  # 选民, 省人大 … when no county actor
    reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"
