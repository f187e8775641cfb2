"""The casework context's API shapes. Constituents' details are given only where the view says the caller
may see them (casework.selectors.sees_constituent); elsewhere the mobile is masked and the name left out."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.actions import PageActionsListSerializer, actions_for, actions_schema
from casework.actions import CaseAction, SuggestionAction, case_actions, suggestion_actions, suggestions_actions
from casework.models import (
    Case,
    CaseStatus,
    Channel,
    Jurisdiction,
    Opinion,
    OpinionCategory,
    Outcome,
    Rating,
    Route,
    RoutingRule,
    Suggestion,
    SuggestionStatus,
)
from casework.models.suggestions import Period
from casework.selectors import sees_constituent
from core.files import mask_mobile
from workdays.selectors import is_official_year


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = OpinionCategory
        fields = ["id", "name", "position", "is_active"]


class RoutingRuleSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.ChoiceField(choices=Jurisdiction.choices)
    route = serializers.ChoiceField(choices=Route.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = RoutingRule
        fields = ["jurisdiction", "route", "note"]


class DeadlineRuleSerializer(serializers.Serializer):
    answer_months = serializers.IntegerField(min_value=1, max_value=60)
    feedback_working_days = serializers.IntegerField(min_value=1, max_value=60)
    return_working_days = serializers.IntegerField(min_value=1, max_value=60)
    due_soon_working_days = serializers.IntegerField(min_value=1, max_value=60)


class OpinionSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", default=None, allow_null=True)
    constituent_name = serializers.SerializerMethodField()
    constituent_mobile = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = ["id", "case", "content", "category", "category_name", "village", "channel", "deputy", "venue",
                  "constituent_name", "constituent_mobile", "received_on", "attachments"]

    def _sees(self, opinion) -> bool:
        """The views pass the opinions shown unmasked (casework.selectors.constituents_disclosed, audited)."""
        disclosed = self.context.get("disclosed")
        if disclosed is not None:
            return opinion.pk in disclosed
        actor = self.context.get("actor")
        return actor is not None and sees_constituent(actor, opinion)

    def get_constituent_name(self, opinion) -> str:
        return opinion.constituent_name if self._sees(opinion) else ""

    def get_constituent_mobile(self, opinion) -> str:
        return opinion.constituent_mobile if self._sees(opinion) else mask_mobile(opinion.constituent_mobile)

    def get_attachments(self, opinion) -> list[dict]:
        if "attachments" not in getattr(opinion, "_prefetched_objects_cache", {}):
            return []
        return [{"id": a.pk, "kind": a.kind, "size": a.size} for a in opinion.attachments.all()]


class OpinionCreateSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000)
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=OpinionCategory.objects.all(), required=False,
                                                  allow_null=True, default=None)
    village = serializers.IntegerField(required=False, allow_null=True, default=None)
    deputy = serializers.IntegerField(required=False, allow_null=True, default=None)
    constituent_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    constituent_mobile = serializers.CharField(required=False, allow_blank=True, default="", max_length=11)
    consent = serializers.BooleanField(required=False, default=False)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class AttachmentSerializer(serializers.Serializer):
    file = serializers.FileField()


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_label = serializers.CharField(required=False, default="")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    category_name = serializers.CharField(source="category.name", default=None, allow_null=True)
    township_name = serializers.CharField(source="township.name", default=None, allow_null=True)
    venue_name = serializers.CharField(source="venue.name", default=None, allow_null=True)
    deputy_name = serializers.CharField(source="deputy.account.name", default=None, allow_null=True)
    actions = serializers.SerializerMethodField(
        help_text="此刻请求者可对该案件进行的操作（casework.actions.case_actions）。")
    feedback_due_provisional = serializers.SerializerMethodField(
        help_text="反馈期限落在节假日安排尚未正式公布的年度（暂定），公布后可能有出入。")

    class Meta:
        model = Case
        fields = ["id", "summary", "status", "status_label", "category", "category_name", "township",
                  "township_name", "venue", "venue_name", "deputy", "deputy_name", "jurisdiction", "received_on",
                  "routed_on", "feedback_due_on", "feedback_due_provisional", "feedback_sent_on", "rounds",
                  "constituent_rating", "actions"]

    @extend_schema_field(actions_schema(CaseAction))
    def get_actions(self, case) -> list[str]:
        return actions_for(self, case, case_actions, CaseAction)

    def get_feedback_due_provisional(self, case) -> bool:
        """Computed at read time from the year's status (one query per year and response, not per row): a
        deadline is stored as a date and not re-computed when its year becomes official."""
        if case.feedback_due_on is None:
            return False
        known = self.root.__dict__.setdefault("_official_years", {})
        year = case.feedback_due_on.year
        if year not in known:
            known[year] = is_official_year(year)
        return not known[year]


class EscalationStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField()
    status = serializers.CharField()
    answer = serializers.CharField()
    updates = serializers.SerializerMethodField()

    def get_updates(self, escalation) -> list[dict]:
        return [{"text": u.text, "created_at": u.created_at} for u in escalation.updates.all()]


class CaseDetailSerializer(CaseSerializer):
    opinions = serializers.SerializerMethodField()
    transitions = TransitionSerializer(many=True)
    answer = serializers.CharField()
    suggestion = serializers.SerializerMethodField()
    escalation = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "answer", "opinions", "transitions", "suggestion", "escalation"]

    def get_opinions(self, case) -> list[dict]:
        return OpinionSerializer(case.opinions.all(), many=True, context=self.context).data

    def get_suggestion(self, case) -> int | None:
        suggestion = getattr(case, "suggestion", None)
        return suggestion.pk if suggestion else None

    def get_escalation(self, case) -> dict | None:
        escalation = self.context.get("escalation")
        return EscalationStateSerializer(escalation).data if escalation else None


class RouteSerializer(serializers.Serializer):
    jurisdiction = serializers.ChoiceField(choices=Jurisdiction.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    lead_deputy = serializers.IntegerField(required=False, allow_null=True, default=None)


class AnswerTextSerializer(serializers.Serializer):
    answer = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "OptionalReason"  # reception's ReasonSerializer requires its reason


class CaseMergeSerializer(serializers.Serializer):
    others = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    lead_deputy_name = serializers.CharField(source="lead_deputy.account.name")
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, allow_null=True)
    category_name = serializers.CharField(source="category.name", default=None, allow_null=True)
    actions = serializers.SerializerMethodField(
        help_text="此刻请求者可对该建议进行的操作（casework.actions.suggestion_actions）。")

    class Meta:
        model = Suggestion
        fields = ["id", "title", "status", "status_label", "period", "category", "category_name", "lead_deputy",
                  "lead_deputy_name", "is_key", "lead_unit", "lead_unit_name", "assigned_on", "due_on", "rounds",
                  "submitted_on", "case", "not_accepted_reason", "actions"]
        list_serializer_class = PageActionsListSerializer  # two queries a page, not two a row

    page_actions = staticmethod(suggestions_actions)

    @extend_schema_field(actions_schema(SuggestionAction))
    def get_actions(self, suggestion) -> list[str]:
        return actions_for(self, suggestion, suggestion_actions, SuggestionAction)


class SuggestionDetailSerializer(SuggestionSerializer):
    cosigners = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()
    supervision = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    transitions = TransitionSerializer(many=True)

    class Meta(SuggestionSerializer.Meta):
        fields = [*SuggestionSerializer.Meta.fields, "content", "cosigners", "assignments", "answers", "ratings",
                  "supervision", "extensions", "transitions"]

    def get_cosigners(self, s) -> list[dict]:
        return [{"id": d.pk, "name": d.account.name} for d in s.cosigners.all()]

    def get_assignments(self, s) -> list[dict]:
        return [{"unit": a.unit_id, "unit_name": a.unit.name, "is_lead": a.is_lead, "assigned_on": a.assigned_on,
                 "return_by": a.return_by, "is_active": a.is_active, "return_reason": a.return_reason}
                for a in s.assignments.all()]

    def get_answers(self, s) -> list[dict]:
        return [{"round": a.round, "unit_name": a.unit.name, "outcome": a.outcome, "reason": a.reason,
                 "content": a.content, "on_time": a.on_time, "answered_at": a.answered_at} for a in s.answers.all()]

    def get_ratings(self, s) -> list[dict]:
        return [{"round": r.round, "process": r.process, "result": r.result, "comment": r.comment}
                for r in s.ratings.all()]

    def get_supervision(self, s) -> dict | None:
        card = getattr(s, "supervision", None)
        if card is None:
            return None
        return {"leader_name": card.leader_name, "responsible_unit": card.responsible_unit_id,
                "deadline": card.deadline, "note": card.note}

    def get_extensions(self, s) -> list[dict]:
        return [{"id": e.pk, "unit_name": e.unit.name, "requested_until": e.requested_until, "reason": e.reason,
                 "status": e.status} for e in s.extensions.all()]


class SuggestionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    lead_deputy = serializers.IntegerField()
    cosigners = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    period = serializers.ChoiceField(choices=Period.choices, required=False, default=Period.IN_RECESS)
    category = serializers.PrimaryKeyRelatedField(queryset=OpinionCategory.objects.all(), required=False,
                                                  allow_null=True, default=None)


class AssignSerializer(serializers.Serializer):
    lead_unit = serializers.IntegerField()
    co_units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    assigned_on = serializers.DateField(required=False, allow_null=True, default=None)


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SuggestionAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    content = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RateSerializer(serializers.Serializer):
    process = serializers.ChoiceField(choices=Rating.choices)
    result = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionSerializer(serializers.Serializer):
    leader_name = serializers.CharField(max_length=50)
    responsible_unit = serializers.IntegerField()
    deadline = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionSerializer(serializers.Serializer):
    requested_until = serializers.DateField()
    reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()


class ScorecardSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    assigned = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time = serializers.IntegerField()
    rated = serializers.IntegerField()
    timeliness = serializers.FloatField()
    satisfaction = serializers.FloatField()
    score = serializers.FloatField()


class UpdateTextSerializer(serializers.Serializer):
    text = serializers.CharField()


STATUS_CHOICES = [*CaseStatus.values, "open"]
SUGGESTION_STATUS_CHOICES = SuggestionStatus.values
