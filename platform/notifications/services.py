"""Writing to the outbox and delivering from it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.tasks import publish
from tenants.db import tenant_connection
from tenants.models import PendingOutbox

from .gateways import gateway_for
from .models import Channel, Message

log = logging.getLogger(__name__)
DELIVER_TASK = "notifications.tasks.deliver_pending"

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

    After the commit the county is marked as having an outbox to deliver (tenants.PendingOutbox, which
    beat's minute sweep reads) and then the delivery task is published: a publish lost with the broker
    down leaves the mark, and the sweep delivers once the broker is back. The mark is set after the
    messages are committed, so a delivery that clears it (messages_deliver) either sees them or is
    followed by a new mark.
    """
    rows = [Message(dedupe_key=o.dedupe_key, kind=o.kind, body=o.body, account_id=o.account_id,
                    mobile=o.mobile, channel=o.channel) for o in outgoing]
    if rows:
        Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        schema = tenant_connection().schema_name
        transaction.on_commit(lambda: _mark_and_publish(schema))
    return len(rows)


def _mark_and_publish(schema: str) -> None:
    try:
        outbox_mark(schema)
    except Exception:  # noqa: BLE001 - the request has committed; the publish below still delivers
        log.exception("could not mark the outbox of schema %s", schema)
    publish(DELIVER_TASK, schema)


def outbox_mark(schema: str) -> None:
    """Tell beat's sweep that `schema`'s outbox has messages waiting (a public-schema row; idempotent)."""
    PendingOutbox.objects.bulk_create([PendingOutbox(schema_name=schema)], ignore_conflicts=True)


def _outbox_settle(schema: str) -> None:
    """After a delivery run: clear the county's mark, then mark it again if anything still waits (a failed
    message to retry, or one committed meanwhile whose own mark this delete may have removed)."""
    PendingOutbox.objects.filter(schema_name=schema).delete()
    if Message.objects.filter(status=Message.Status.PENDING).exists():
        outbox_mark(schema)


def messages_deliver(*, batch_size: int = BATCH_SIZE) -> int:
    """Deliver pending messages, a batch per transaction; returns how many were delivered.

    Rows are claimed with SKIP LOCKED, so several workers share the outbox without taking the same row,
    and a batch is marked sent in the transaction that delivers it: a worker killed mid-batch leaves the
    batch pending (nothing recorded), and the next run delivers it once. Messages a gateway refused are
    logged (a warning per batch) and retried by the next run, up to MAX_ATTEMPTS; the county's outbox mark
    stays while any wait (_outbox_settle).
    """
    delivered = 0
    tried: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(Message.objects.select_for_update(skip_locked=True)
                         .filter(status=Message.Status.PENDING).exclude(pk__in=tried)
                         .order_by("pk")[:batch_size])
            if not batch:
                break
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
        if failed:
            log.warning("outbox of schema %s: %d of %d messages not delivered (first: %s)",
                        tenant_connection().schema_name, len(failed), len(batch), next(iter(failed.values()))[:200])
    _outbox_settle(tenant_connection().schema_name)
    return delivered


@transaction.atomic
def message_mark_read(*, actor, message_ids: Iterable[int]) -> int:
    """The reader marks their own in-app messages read (someone else's ids are ignored)."""
    return Message.objects.filter(pk__in=list(message_ids), account_id=actor.account_id,
                                  read_at__isnull=True).update(read_at=timezone.now())
