from django.db import models
from django.utils.translation import gettext_lazy as _

from core.rules import CountyRule


class CaseworkRule(CountyRule):
    """The county's casework deadlines (one row). Defaults: answer within 3 calendar months of assignment
    (001), feedback to the constituent within 10 working days of routing (004: "建议交办后x日内"),
    a misassigned item returned within 7 working days, reminders from 5 working days before a deadline."""

    answer_months = models.PositiveSmallIntegerField(_("答复期限（月）"), default=3)
    feedback_working_days = models.PositiveSmallIntegerField(_("反馈选民期限（工作日）"), default=10)
    return_working_days = models.PositiveSmallIntegerField(_("退回交办期限（工作日）"), default=7)
    due_soon_working_days = models.PositiveSmallIntegerField(_("提前提醒（工作日）"), default=5)
    # PIPL: constituents' names and mobiles are kept no longer than needed (casework.services.privacy).
    pseudonymise_after_days = models.PositiveSmallIntegerField(_("办结后匿名化反映人信息（天）"), default=180)

    class Meta:
        verbose_name = _("办理期限规则")
        verbose_name_plural = _("办理期限规则")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

