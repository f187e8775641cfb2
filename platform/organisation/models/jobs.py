from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A large workbook imported in the background (organisation.services.jobs): the file waits here until a
    worker runs it, and its result -- counts, or the errors per row -- is kept for the page and the API.
    Organisation is the lowest app that imports workbooks; the apps above register their kinds."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("组织架构")
        ROSTER = "roster", _("代表名册")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")  # and while it runs: its progress is in the cache (services.jobs)
        DONE = "done", _("已导入")
        REFUSED = "refused", _("有错误，未导入")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content = models.BinaryField(_("文件内容"), editable=False)  # emptied once the job has run
    result = models.JSONField(_("结果"), default=dict, blank=True)  # {"counts": {...}} or {"errors": [...]}
    created_by_id = models.BigIntegerField(_("导入人"))  # the account (public schema), by id
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导入")
        verbose_name_plural = _("后台导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REFUSED)
