import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The nine categories of source 001 (代表议政: the fields the collected suggestions covered).
DEFAULT_CATEGORIES = ["工业经济", "营商环境", "民生事业", "城建交通", "教科文卫", "农业农村", "环境保护", "社会保障",
                      "扶贫脱贫"]
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


class OpinionCategory(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    publish_answers = models.BooleanField(_("公开该类答复"), default=False,
                                          help_text=_("该类别已答复的问题在网上联络站公开（隐去反映人信息）"))

    class Meta:
        verbose_name = _("意见类别")
        verbose_name_plural = _("意见类别")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    RECEPTION = "reception", _("接待日")
    VISIT = "visit", _("走访")
    OPINION_BOX = "opinion_box", _("意见箱")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    ONLINE = "online", _("网上联络站")


class Opinion(models.Model):
    """What one constituent raised (社情民意). Every opinion belongs to a case; several opinions about
    the same matter share one case after a merge. The constituent's name and mobile are personal data
    (see casework.selectors.sees_constituent)."""

    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="opinions",
                             verbose_name=_("案件"))
    content = models.TextField(_("内容"))
    category = models.ForeignKey(OpinionCategory, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="opinions", verbose_name=_("类别"))
    village = models.ForeignKey("organisation.Village", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("村（社区）"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="opinions_received", verbose_name=_("接收代表"))
    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("站点"))
    duty_record = models.ForeignKey("duties.DutyRecord", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="opinions", verbose_name=_("履职记录"),
                                    help_text=_("代表在这次履职中收到的意见"))
    constituent_name = models.CharField(_("反映人"), max_length=50, blank=True)
    constituent_mobile = models.CharField(_("反映人手机"), max_length=11, blank=True)
    consent = models.BooleanField(_("同意接收办理反馈"), default=False)
    mobile_verified = models.BooleanField(_("手机已验证"), default=False)
    privacy_notice_version = models.CharField(_("隐私告知版本"), max_length=20, blank=True)
    privacy_consent_at = models.DateTimeField(_("同意隐私告知时间"), null=True, blank=True)
    pseudonymised_at = models.DateTimeField(_("反映人信息匿名化时间"), null=True, blank=True)
    received_on = models.DateField(_("收到日期"))
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社情民意")
        verbose_name_plural = _("社情民意")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.content[:30]


def attachment_path(instance, filename: str) -> str:
    return f"casework/opinions/{instance.opinion_id}/{filename}"


class OpinionAttachment(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=attachment_path)
    kind = models.CharField(_("类型"), max_length=8)  # jpeg / png / webp / pdf
    size = models.PositiveIntegerField(_("大小"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.file.name
