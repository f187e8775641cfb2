from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingEvent(models.Model):
    """A training course or study session for deputies (003)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("培训")
        STUDY = "study", _("学习")

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.TRAINING)
    held_on = models.DateField(_("日期"))
    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="training_events", verbose_name=_("站点"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="training_events", verbose_name=_("组织乡镇"),
                                 help_text=_("乡镇组织的活动；空为县人大常委会组织"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习培训")
        verbose_name_plural = _("学习培训")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        ABSENT = "absent", _("缺席")
        EXCUSED = "excused", _("请假")

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendances")
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, related_name="training_attendances")
    status = models.CharField(_("出勤"), max_length=16, choices=Status.choices)
    marked_by_id = models.BigIntegerField(null=True)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("培训出勤")
        verbose_name_plural = _("培训出勤")
        constraints = [models.UniqueConstraint(fields=["event", "deputy"], name="training_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.event} {self.deputy_id} {self.status}"
