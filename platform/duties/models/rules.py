from django.db import models
from django.utils.translation import gettext_lazy as _

from core.rules import CountyRule

from .records import DutyKind

# Yearly evaluation: points per confirmed record of each kind (the county changes them).
DEFAULT_WEIGHTS = {
    DutyKind.RECEPTION: 3, DutyKind.VISIT: 2, DutyKind.INSPECTION_SURVEY: 2,
    DutyKind.LAW_ENFORCEMENT_INSPECTION: 2, DutyKind.STUDY_TRAINING: 1, DutyKind.CONGRESS_MEETING: 2,
    DutyKind.REPORT_TO_VOTERS: 5, DutyKind.PAIR_CONTACT: 1, DutyKind.DELIBERATION_FORUM: 2,
    DutyKind.POLICY_PROMOTION: 1, DutyKind.PUBLIC_WELFARE: 1, DutyKind.LIVELIHOOD_PROJECT_SUPERVISION: 2,
    DutyKind.PRESIDIUM_VISIT: 1, DutyKind.VOTER_CONTACT: 1, DutyKind.OTHER: 1,
}


def default_weights() -> dict[str, int]:
    return {str(kind): weight for kind, weight in DEFAULT_WEIGHTS.items()}


class DutyRule(CountyRule):
    """The county's duty rules, one row: the three-ones rule (002) and the yearly evaluation."""

    receptions_per_month = models.PositiveSmallIntegerField(_("每月接待选民次数"), default=1)
    visits_per_month = models.PositiveSmallIntegerField(_("每月走访次数"), default=1)
    reports_per_year = models.PositiveSmallIntegerField(_("每年述职次数"), default=1)
    weights = models.JSONField(_("各类履职分值"), default=default_weights)
    outstanding_top_n = models.PositiveSmallIntegerField(_("优秀代表名额（前N名）"), null=True, blank=True,
                                                         default=10)
    outstanding_min_score = models.PositiveIntegerField(_("优秀代表分数线"), null=True, blank=True)

    class Meta:
        verbose_name = _("履职规则")
        verbose_name_plural = _("履职规则")

    def __str__(self) -> str:
        return "三个一"

    def weight(self, kind: str) -> int:
        return int(self.weights.get(kind, DEFAULT_WEIGHTS.get(kind, 0)))
