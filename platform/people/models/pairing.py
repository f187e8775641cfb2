from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.rules import CountyRule

from .deputies import Deputy


class PairingRule(CountyRule):
    """The county's pairing rules (结对联系); defaults from the reports (000, 004). One row per county."""

    township_deputies_per_county_deputy = models.PositiveSmallIntegerField(_("每名县级代表联系乡镇代表数"), default=10)
    # Pair contacts and presidium visits are different duties, each with its own yearly figure.
    pair_contacts_per_year = models.PositiveSmallIntegerField(_("每对结对每年联系次数"), default=2)
    presidium_visits_per_year = models.PositiveSmallIntegerField(_("主席团成员每年走访代表次数"), default=2)
    voter_contacts_per_deputy = models.PositiveSmallIntegerField(_("每名代表联系选民户数"), default=10)

    class Meta:
        verbose_name = _("结对联系规则")
        verbose_name_plural = _("结对联系规则")

    def __str__(self) -> str:
        return f"1:{self.township_deputies_per_county_deputy}"



class Pairing(models.Model):
    """A county deputy paired with a township deputy (000: each county deputy with ten)."""

    county_deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="pairings_as_county")
    township_deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="pairings_as_township")
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        constraints = [
            models.UniqueConstraint(fields=["township_deputy"], condition=Q(ended_on__isnull=True),
                                    name="pairing_one_current_per_township_deputy"),
            models.CheckConstraint(condition=~Q(county_deputy=F("township_deputy")), name="pairing_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.county_deputy} ↔ {self.township_deputy}"
