"""The read-only `actions` field: what the requesting actor may do on an object now, as the app's
`*_actions(actor, obj)` selector says. A page of rows asks the app's bulk selector once (constant queries)."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework import serializers

from access.scope import ANONYMOUS, Actor
from people.actors import actor_of


def context_actor(serializer: serializers.BaseSerializer) -> Actor:
    """The view's actor, else the request's (built once per request)."""
    context = serializer.context
    if context.get("actor") is not None:
        return context["actor"]
    return actor_of(context["request"]) if context.get("request") is not None else ANONYMOUS


def actions_schema(choices) -> serializers.ListField:
    """The field's OpenAPI shape, for extend_schema_field: a list of the action codes."""
    return serializers.ListField(child=serializers.ChoiceField(choices=choices.choices), read_only=True)


class PageActionsListSerializer(serializers.ListSerializer):
    """Reads a page's actions at once through the child's `page_actions(actor, rows) -> {pk: actions}`."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        self.child.actions_of_page = self.child.page_actions(context_actor(self), rows)
        return super().to_representation(rows)


def actions_for(serializer: serializers.BaseSerializer, obj, one: Callable, choices) -> list[str]:
    """The object's actions in the codes' declared order: from the page when one was read, else `one`."""
    page = getattr(serializer, "actions_of_page", None)
    actions = page[obj.pk] if page is not None and obj.pk in page else one(context_actor(serializer), obj)
    return [code for code in choices.values if code in actions]
