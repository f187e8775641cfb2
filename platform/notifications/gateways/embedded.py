"""The embedded default: each message is recorded in the county's outbox tables and printed."""

from __future__ import annotations

import logging

from notifications.gateways import Gateway
from notifications.models import GatewayRecord

log = logging.getLogger("jiazhan.sms")


class EmbeddedGateway(Gateway):
    name = "embedded"

    def send(self, messages: list) -> dict[int, str]:
        GatewayRecord.objects.bulk_create([GatewayRecord(message=m, gateway=self.name) for m in messages])
        if log.isEnabledFor(logging.INFO):
            for m in messages:
                log.info("[%s] to %s: %s", m.get_channel_display(), m.mobile or m.account_id, m.body)
        return {}


class InAppGateway(EmbeddedGateway):
    """In-app messages are read on the '我的消息' page; delivering one records it."""

    name = "in_app"
