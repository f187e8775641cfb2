from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from .cases import Rating


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    REGISTERED = "registered", _("已立案待交办")
    NOT_ACCEPTED = "not_accepted", _("不予立案")
    ASSIGNED = "assigned", _("已交办")
    ANSWERED = "answered", _("已答复待评价")
    REHANDLING = "rehandling", _("重新办理")
    SATISFIED = "satisfied", _("代表满意办结")
    CLOSED = "closed", _("常委会决定办结")


# The one state machine of a suggestion: from -> the statuses it may go to.
SUGGESTION_TRANSITIONS: dict[str, set[str]] = {
    SuggestionStatus.SUBMITTED: {SuggestionStatus.REGISTERED, SuggestionStatus.NOT_ACCEPTED},
    SuggestionStatus.REGISTERED: {SuggestionStatus.ASSIGNED, SuggestionStatus.CLOSED},
    # A unit's return of a misassigned item puts it back to be assigned again.
    SuggestionStatus.ASSIGNED: {SuggestionStatus.ANSWERED, SuggestionStatus.REGISTERED, SuggestionStatus.CLOSED},
    SuggestionStatus.ANSWERED: {SuggestionStatus.SATISFIED, SuggestionStatus.REHANDLING, SuggestionStatus.CLOSED},
    SuggestionStatus.REHANDLING: {SuggestionStatus.ANSWERED, SuggestionStatus.CLOSED},
    SuggestionStatus.NOT_ACCEPTED: set(),
    SuggestionStatus.SATISFIED: set(),
    SuggestionStatus.CLOSED: set(),
}
HANDLING_STATUSES = [SuggestionStatus.ASSIGNED, SuggestionStatus.REHANDLING]
FINISHED_STATUSES = [SuggestionStatus.SATISFIED, SuggestionStatus.CLOSED, SuggestionStatus.NOT_ACCEPTED]


class Period(models.TextChoices):
    IN_SESSION = "in_session", _("大会期间")
    IN_RECESS = "in_recess", _("闭会期间")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("已解决")
    BEING_SOLVED = "being_solved", _("正在解决")
    PLANNED = "planned", _("列入计划解决")
    CANNOT_NOW = "cannot_now", _("因条件限制暂时不能解决")


class Suggestion(models.Model):
    """代表建议、批评和意见: filed by a lead deputy with co-signers, registered, assigned, answered, rated."""

    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    lead_deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, related_name="suggestions_led",
                                    verbose_name=_("领衔代表"))
    cosigners = models.ManyToManyField("people.Deputy", blank=True, related_name="suggestions_cosigned",
                                       verbose_name=_("附议代表"))
    period = models.CharField(_("提出时间"), max_length=16, choices=Period.choices, default=Period.IN_RECESS)
    category = models.ForeignKey("casework.OpinionCategory", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="suggestions", verbose_name=_("类别"))
    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="suggestion", verbose_name=_("来源案件"))
    status = models.CharField(_("状态"), max_length=16, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.SUBMITTED)
    not_accepted_reason = models.TextField(_("不予立案理由"), blank=True)
    is_key = models.BooleanField(_("重点建议"), default=False)
    lead_unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="suggestions_led", verbose_name=_("主办单位"))
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    submitted_on = models.DateField(_("提出日期"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-submitted_on", "-pk"]
        permissions = [("handle_suggestion", _("承办该建议"))]
        indexes = [
            models.Index(fields=["status", "due_on"], name="suggestion_status_due"),
            models.Index(fields=["lead_unit", "assigned_on"], name="suggestion_unit_assigned"),
        ]

    def __str__(self) -> str:
        return self.title


class SuggestionGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian's grant of a handling unit (its group) on one suggestion, with a real foreign key:
    the grant lives in the county's schema beside the suggestion."""

    content_object = models.ForeignKey(Suggestion, on_delete=models.CASCADE)


class SuggestionAssignment(models.Model):
    """A unit's part in a suggestion: lead (主办) or co-handling (协办); ended when returned or reassigned."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("承办单位"))
    is_lead = models.BooleanField(_("主办"), default=False)
    assigned_on = models.DateField(_("交办日期"))
    return_by = models.DateField(_("可退回截止日"))
    is_active = models.BooleanField(default=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        constraints = [models.UniqueConstraint(fields=["suggestion", "unit"], condition=models.Q(is_active=True),
                                               name="assignment_one_active_per_unit")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.unit_id}"


class SupervisionCard(models.Model):
    """督办卡 of a key suggestion: supervising leader, responsible unit, deadline (001)."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="supervision")
    leader_name = models.CharField(_("督办领导"), max_length=50)
    leader_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                       null=True, blank=True, related_name="+")
    responsible_unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("责任单位"))
    deadline = models.DateField(_("办结时限"))
    note = models.TextField(_("督办意见"), blank=True)

    class Meta:
        verbose_name = _("督办卡")
        verbose_name_plural = _("督办卡")

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.leader_name}"


class SuggestionAnswer(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(_("轮次"))
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("办理结果"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("暂不能解决的原因"), blank=True)
    content = models.TextField(_("答复内容"))
    on_time = models.BooleanField(_("按期答复"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                    null=True, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "round"], name="answer_one_per_round")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} #{self.round}"


class SuggestionRating(models.Model):
    """The deputy rates the handling (process) and the result separately, once per round."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("轮次"))
    process = models.CharField(_("办理过程"), max_length=24, choices=Rating.choices)
    result = models.CharField(_("办理结果"), max_length=24, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("代表评价")
        verbose_name_plural = _("代表评价")
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "round"], name="rating_one_per_round")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} #{self.round}"


class ExtensionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        GRANTED = "granted", _("已同意")
        REFUSED = "refused", _("不同意")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    requested_until = models.DateField(_("申请延期至"))
    reason = models.TextField(_("理由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [models.UniqueConstraint(fields=["suggestion"], condition=models.Q(status="pending"),
                                               name="extension_one_pending")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.requested_until}"


class SuggestionTransition(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=16, choices=SuggestionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=SuggestionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                              null=True, blank=True, related_name="+")
    reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建议流转记录")
        verbose_name_plural = _("建议流转记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.from_status} → {self.to_status}"
