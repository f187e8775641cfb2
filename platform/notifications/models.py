"""The one outbox every SMS and in-app message goes through (see notifications.services).

A message is written with a dedupe key that names what it is about (a session, a deputy, a kind of
reminder); the key is unique, so writing the same message twice keeps one row, and delivery marks a
row sent in the same transaction that records it, so a row is delivered once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    IN_APP = "in_app", _("站内消息")


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.SMS)
    kind = models.CharField(_("类别"), max_length=64)
    account_id = models.BigIntegerField(_("收件人账号"), null=True, blank=True, db_index=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(status="pending"), name="message_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.mobile or self.account_id}"


class GatewayRecord(models.Model):
    """What the embedded gateway 'sent': one row per delivery, written in the delivering transaction.
    Counting these per message is how the tests and the benchmark see that nothing went out twice."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="gateway_records")
    gateway = models.CharField(_("通道"), max_length=64)
    delivered_at = models.DateTimeField(_("送达时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通道发送记录")
        verbose_name_plural = _("通道发送记录")

    def __str__(self) -> str:
        return f"{self.gateway} {self.message_id}"
