"""The upper tiers' inbox (platform host): an item, its steps' history, and the bodies of the steps."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.actions import actions_schema
from tenants.actions import EscalationAction, escalation_actions
from tenants.orchestration.escalation_context import escalation_case_context
from tenants.orchestration.upstairs_deadlines import escalation_due_on


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    county = serializers.CharField(source="county.name")
    case_id = serializers.IntegerField()
    level = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    rounds = serializers.IntegerField()
    answer = serializers.CharField()
    created_at = serializers.DateTimeField()
    actions = serializers.SerializerMethodField(
        help_text="此刻请求者可对该上报事项进行的操作（tenants.actions.escalation_actions）。")

    @extend_schema_field(actions_schema(EscalationAction))
    def get_actions(self, escalation) -> list[str]:
        page = self.context.get("page_actions")  # a list reads them for the whole page at once
        if page is not None:
            actions = page.get(escalation.pk, frozenset())
        else:
            request = self.context.get("request")
            actions = escalation_actions(getattr(request, "user", None), escalation)
        return [code for code in EscalationAction.values if code in actions]


class EscalationTransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    from_level = serializers.CharField()
    to_level = serializers.CharField()
    round = serializers.IntegerField()
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_actor(self, transition) -> str:
        return transition.actor_label or (transition.actor.name if transition.actor_id else "")


class EscalationDetailSerializer(EscalationSerializer):
    routing_note = serializers.CharField()
    draft_answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    arrived_on = serializers.DateField(allow_null=True)
    due_on = serializers.SerializerMethodField(help_text="到达本级后的答复期限（工作日计，按所在州/省的设置）。")
    updates = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField(
        help_text="县里的案件：收到与分办日期、接收代表与站点、每条原始意见（反映人姓名与手机已遮盖）及其附件编号"
                  "（附件经平台域名 /inbox/{id}/attachments/{附件编号}/ 读取）。")

    def get_case(self, escalation) -> dict | None:
        return escalation_case_context(escalation)

    def get_updates(self, escalation) -> list[dict]:
        return [{"text": u.text, "created_at": u.created_at} for u in escalation.updates.all()]

    def get_due_on(self, escalation) -> dt.date | None:
        return escalation_due_on(escalation)

    def get_units(self, escalation) -> list[dict]:
        return [{"id": a.unit_id, "name": a.unit.name}
                for a in escalation.assignments.filter(is_active=True).select_related("unit")]

    @extend_schema_field(EscalationTransitionSerializer(many=True))
    def get_history(self, escalation) -> list[dict]:
        return EscalationTransitionSerializer(escalation.transitions.select_related("actor"), many=True).data


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class EscalationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class UnitsSerializer(serializers.Serializer):
    units = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class EmptySerializer(serializers.Serializer):
    pass
