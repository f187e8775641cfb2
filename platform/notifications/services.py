"""Writing to the outbox and delivering from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.tasks import enqueue_on_commit

from .gateways import gateway_for
from .models import Channel, Message

BATCH_SIZE = 500
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Outgoing:
    dedupe_key: str
    kind: str
    body: str
    account_id: int | None = None
    mobile: str = ""
    channel: str = Channel.SMS


def messages_enqueue(outgoing: Iterable[Outgoing]) -> int:
    """Put messages in the outbox and have them delivered after the transaction commits.

    A message whose dedupe key is already in the outbox is skipped, so a scan that runs twice (beat
    restarted, a task retried after a worker died) writes each message once. Returns the rows offered.
    """
    rows = [Message(dedupe_key=o.dedupe_key, kind=o.kind, body=o.body, account_id=o.account_id,
                    mobile=o.mobile, channel=o.channel) for o in outgoing]
    if rows:
        Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        enqueue_on_commit("notifications.tasks.deliver_pending")
    return len(rows)


def messages_deliver(*, batch_size: int = BATCH_SIZE) -> int:
    """Deliver pending messages, a batch per transaction; returns how many were delivered.

    Rows are claimed with SKIP LOCKED, so several workers share the outbox without taking the same row,
    and a batch is marked sent in the transaction that delivers it: a worker killed mid-batch leaves the
    batch pending (nothing recorded), and the next run delivers it once.
    """
    delivered = 0
    tried: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(Message.objects.select_for_update(skip_locked=True)
                         .filter(status=Message.Status.PENDING).exclude(pk__in=tried)
                         .order_by("pk")[:batch_size])
            if not batch:
                return delivered
            by_channel: dict[str, list[Message]] = defaultdict(list)
            for message in batch:
                by_channel[message.channel].append(message)
            failed: dict[int, str] = {}
            for channel, messages in by_channel.items():
                failed.update(gateway_for(channel).send(messages))
            ok = [m.pk for m in batch if m.pk not in failed]
            Message.objects.filter(pk__in=ok).update(status=Message.Status.SENT, sent_at=timezone.now(),
                                                     attempts=F("attempts") + 1)
            for pk, reason in failed.items():
                Message.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=reason[:300])
            Message.objects.filter(pk__in=list(failed), attempts__gte=MAX_ATTEMPTS).update(
                status=Message.Status.FAILED)
            tried.update(failed)
            delivered += len(ok)


@transaction.atomic
def message_mark_read(*, actor, message_ids: Iterable[int]) -> int:
    """The reader marks their own in-app messages read (someone else's ids are ignored)."""
    return Message.objects.filter(pk__in=list(message_ids), account_id=actor.account_id,
                                  read_at__isnull=True).update(read_at=timezone.now())
