from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.levels import Level, MandateStatus

id_number_validator = RegexValidator(r"^[0-9]{17}[0-9X]\Z", _("身份证号码应为18位，最后一位可以是X。"),
                                     code="invalid_id_number")


class Deputy(models.Model):
    """A person as this county knows them. The identity (name, mobile, login) is the public Account;
    personal data such as the ID number stays here, in the county's schema."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+", verbose_name=_("账号"))
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, validators=[id_number_validator])
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    employer = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    photo = models.ImageField(_("照片"), upload_to="deputies/", blank=True)
    public_phone = models.CharField(_("公开联系电话"), max_length=30, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        constraints = [models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""),
                                               name="deputy_unique_id_number")]

    def __str__(self) -> str:
        return self.account.name


class Mandate(models.Model):
    """A county or township mandate (届) of a deputy of this county."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField(_("层级"), max_length=16, choices=[(Level.COUNTY.value, Level.COUNTY.label),
                                                               (Level.TOWNSHIP.value, Level.TOWNSHIP.label)])
    term = models.PositiveSmallIntegerField(_("届次"))
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="mandates", verbose_name=_("乡镇"),
                                 help_text=_("乡镇级代表所属乡镇人大"))
    electoral_district = models.CharField(_("选区"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=MandateStatus.choices, default=MandateStatus.SERVING)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("代表职务")
        verbose_name_plural = _("代表职务")
        ordering = ["deputy", "level"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="mandate_ends_after_start"),
            models.CheckConstraint(condition=Q(level="county") | Q(township__isnull=False),
                                   name="township_mandate_has_township"),
            models.UniqueConstraint(fields=["deputy", "level", "term"], name="mandate_unique_term"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}第{self.term}届"

    @property
    def is_serving(self) -> bool:
        return self.status == MandateStatus.SERVING
