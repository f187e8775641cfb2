from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .deputies import Deputy


class Stationing(models.Model):
    """A deputy stationed (驻站) at a venue from a date; province and prefecture deputies too."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="stationings")
    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, related_name="stationings",
                              verbose_name=_("站点"))
    started_on = models.DateField(_("进站日期"))
    ended_on = models.DateField(_("离站日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("驻站")
        verbose_name_plural = _("驻站")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="stationing_ends_after_start"),
            models.UniqueConstraint(fields=["deputy", "venue"], condition=Q(ended_on__isnull=True),
                                    name="stationing_unique_current"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.venue}"


class DeputyGroup(models.Model):
    """A deputy group (代表小组), attached to one venue."""

    venue = models.OneToOneField("organisation.Venue", on_delete=models.PROTECT, related_name="group",
                                 verbose_name=_("站点"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        VICE_LEADER = "vice_leader", _("副组长")
        LIAISON_OFFICER = "liaison_officer", _("联络员")
        MEMBER = "member", _("组员")

    group = models.ForeignKey(DeputyGroup, on_delete=models.CASCADE, related_name="members")
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(_("小组职务"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        constraints = [
            models.UniqueConstraint(fields=["group", "deputy"], name="group_member_unique"),
            models.UniqueConstraint(fields=["group"], condition=Q(role="leader"), name="group_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_role_display()}"
