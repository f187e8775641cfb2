"""Pluggable gateways: settings.NOTIFICATION_GATEWAYS maps a channel to a class path.

A gateway's `send(messages)` delivers a batch and returns the ids it failed to deliver with a reason.
It is called inside the transaction that marks the batch sent: a gateway with a database record (the
embedded one) is exactly-once; an external SMS gateway should be given `message.dedupe_key` as its
idempotency key (the provider's client message id), so a batch retried after a crash is not resent.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class Gateway:
    name = "base"

    def send(self, messages: list) -> dict[int, str]:
        raise NotImplementedError


@cache
def gateway_for(channel: str) -> Gateway:
    return import_string(settings.NOTIFICATION_GATEWAYS[channel])()
