from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.selectors import township_of_act


class DutyKind(models.TextChoices):
    """Duties worth recording (BRIEF.md)."""

    RECEPTION = "reception", _("接待选民")
    VISIT = "visit", _("走访")
    INSPECTION_SURVEY = "inspection_survey", _("视察调研")
    LAW_ENFORCEMENT_INSPECTION = "law_enforcement_inspection", _("执法检查")
    STUDY_TRAINING = "study_training", _("学习培训")
    CONGRESS_MEETING = "congress_meeting", _("参加人代会")
    REPORT_TO_VOTERS = "report_to_voters", _("述职")
    PAIR_CONTACT = "pair_contact", _("结对联系")
    PRESIDIUM_VISIT = "presidium_visit", _("主席团走访代表")
    VOTER_CONTACT = "voter_contact", _("联系选民")
    DELIBERATION_FORUM = "deliberation_forum", _("议政会")
    POLICY_PROMOTION = "policy_promotion", _("政策宣传")
    PUBLIC_WELFARE = "public_welfare", _("公益活动")
    LIVELIHOOD_PROJECT_SUPERVISION = "livelihood_project_supervision", _("民生实事项目监督")
    OTHER = "other", _("其他")


class DutyRecord(models.Model):
    """One duty a deputy performed (履职登记). Logged by the deputy (confirmed at once) or by staff on the
    deputy's behalf (awaiting the deputy's confirmation)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待代表确认")
        CONFIRMED = "confirmed", _("已确认")
        DISPUTED = "disputed", _("代表有异议")

    kind = models.CharField(_("类别"), max_length=40, choices=DutyKind.choices)
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, related_name="duty_records",
                               verbose_name=_("代表"))
    occurred_on = models.DateField(_("日期"))
    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="duty_records", verbose_name=_("站点"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    # The township the duty belongs to on its day: its venue's then, else the deputy's then (their station's,
    # else their township mandate's). A later re-division moves venues and mandates, not records. Kept by
    # save() whenever the deputy, the venue or the date is written.
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("所属乡镇"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    participants = models.ManyToManyField("people.Deputy", blank=True, related_name="duty_participations",
                                          verbose_name=_("参加代表"))
    other_participants = models.CharField(_("其他参加人员"), max_length=500, blank=True)
    constituents_count = models.PositiveIntegerField(_("接待（走访）群众人次"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+", verbose_name=_("登记人"))
    # Where a record came from when another register produced it ("training:3:12", a reception sign-in):
    # unique, so the register that logs it twice still makes one record.
    source = models.CharField(max_length=100, blank=True, editable=False)
    # Shown on its station's public page (title, kind, date, photos) when the station chooses to.
    published = models.BooleanField(_("在站点页面公开"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("履职登记")
        verbose_name_plural = _("履职登记")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source"], condition=~Q(source=""), name="duty_record_unique_source"),
        ]
        indexes = [
            models.Index(fields=["deputy", "occurred_on"], name="duty_record_deputy_day"),
            models.Index(fields=["venue", "occurred_on"], name="duty_record_venue_day"),
            models.Index(fields=["occurred_on", "kind"], name="duty_record_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.title}"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or {"deputy", "deputy_id", "venue", "venue_id", "occurred_on"} & set(fields):
            self.township_id = township_of_act(self.deputy_id, self.venue_id, self.occurred_on)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "township"}
        super().save(*args, **kwargs)


# The one state machine of a record: (from, to) -> who may make the change: "deputy" (the record's deputy)
# or "author" (who logged it, by correcting it: duties.actions.DutyRecordAction.EDIT).
DUTY_TRANSITIONS: dict[tuple[str, str], str] = {
    (DutyRecord.Status.PENDING, DutyRecord.Status.CONFIRMED): "deputy",
    (DutyRecord.Status.PENDING, DutyRecord.Status.DISPUTED): "deputy",
    (DutyRecord.Status.DISPUTED, DutyRecord.Status.PENDING): "author",  # the author corrects it and asks again
}


class DutyTransition(models.Model):
    """One change of a record's status: who, when, why."""

    record = models.ForeignKey(DutyRecord, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor_id = models.BigIntegerField(null=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


def duty_photo_path(instance: "DutyPhoto", filename: str) -> str:
    return f"duties/{instance.record_id}/{filename}"


class DutyPhoto(models.Model):
    record = models.ForeignKey(DutyRecord, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=duty_photo_path)
    thumbnail = models.ImageField(upload_to=duty_photo_path, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("履职照片")
        verbose_name_plural = _("履职照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.image.name
