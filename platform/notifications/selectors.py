"""Reads on the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from access.scope import Actor

from .models import Message


def messages_of(actor: Actor) -> QuerySet[Message]:
    """A person's own messages (SMS copies and in-app), newest first; nobody reads another's."""
    if actor.account_id is None:
        return Message.objects.none()
    return Message.objects.filter(account_id=actor.account_id)


def unread_count(actor: Actor) -> int:
    return messages_of(actor).filter(read_at__isnull=True).count()
