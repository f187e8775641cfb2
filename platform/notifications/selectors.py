"""Reads on the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Message


def messages_of(account_id: int | None) -> QuerySet[Message]:
    """A person's own messages (SMS copies and in-app), newest first; nobody reads another's. The outbox
    sits below the permission layer, so it is asked by account, not by Actor."""
    if account_id is None:
        return Message.objects.none()
    return Message.objects.filter(account_id=account_id)


def unread_count(account_id: int | None) -> int:
    return messages_of(account_id).filter(read_at__isnull=True).count()
